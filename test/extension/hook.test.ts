// @vitest-environment jsdom
import { createStore } from 'patchdb'
import { connectDevtools, DEVTOOLS_HOOK, MESSAGE_SOURCE, type DevtoolsHook } from 'patchdb/devtools'
import { afterEach, describe, expect, it } from 'vitest'
import '../../devtools/src/hook'

/** Everything posted into the window with patchdb's tag, until the next task. */
async function posted(): Promise<Record<string, unknown>[]> {
  const got: Record<string, unknown>[] = []
  const listen = (e: MessageEvent) => e.data?.source === MESSAGE_SOURCE && got.push(e.data)
  window.addEventListener('message', listen)
  await new Promise((r) => setTimeout(r, 20))
  window.removeEventListener('message', listen)
  return got
}

const stops: (() => void)[] = []
afterEach(() => stops.splice(0).forEach((stop) => stop()))

describe("the extension's MAIN-world hook", () => {
  it('is there before the app, frozen, and cannot be replaced by the page', () => {
    const hook = (window as unknown as Record<string, DevtoolsHook>)[DEVTOOLS_HOOK]!
    expect(hook.version).toBe(1)
    expect(Object.isFrozen(hook)).toBe(true)
    expect(() => {
      ;(window as unknown as Record<string, unknown>)[DEVTOOLS_HOOK] = { version: 1, register: () => ({ name: 'x', unregister() {} }) }
    }).toThrow(TypeError)
    expect((window as unknown as Record<string, unknown>)[DEVTOOLS_HOOK]).toBe(hook)
  })

  it('lists each store by a name of its own (a second "app" is "app (2)"), one list per task, and unlists a stopped one', async () => {
    const listing = posted()
    stops.push(connectDevtools(createStore({ value: {} }), { name: 'app' }))
    const second = connectDevtools(createStore({ value: {} }), { name: 'app' })
    stops.push(connectDevtools(createStore({ value: {} }), { name: 'cart' }))
    expect((await listing).filter((m) => m.to === 'extension')).toEqual([{ source: MESSAGE_SOURCE, to: 'extension', type: 'stores', names: ['app', 'app (2)', 'cart'] }])

    // The second store answers to its listed name, the first to its own.
    const replies = posted()
    // As the relay's postMessage arrives (jsdom's own postMessage leaves `source` null).
    window.dispatchEvent(new MessageEvent('message', { data: { source: MESSAGE_SOURCE, to: 'inspector', name: 'app (2)', message: { type: 'connect', version: 1 } }, source: window }))
    const hellos = (await replies).filter((m) => m.to === 'panel')
    expect(hellos.map((m) => [m.name, (m.message as { type: string; name: string }).name])).toEqual([['app (2)', 'app (2)']])

    const after = posted()
    second()
    second() // twice is once
    expect((await after).filter((m) => m.to === 'extension').map((m) => m.names)).toEqual([['app', 'cart']])
  })
})
