import { createStore } from 'patchdb'
import { connectDevtools, DEVTOOLS_HOOK, MESSAGE_SOURCE } from 'patchdb/devtools'
import { describe, expect, it } from 'vitest'

/** A window with just what connectDevtools uses: its listeners, what it posts, and whatever sits at the hook's name. */
function fakeWindow(hook?: unknown) {
  const listeners = new Set<(e: MessageEvent) => void>()
  const posted: { name: string; message: { type: string; name?: string } }[] = []
  const win = {
    location: { origin: 'https://app.example' },
    addEventListener: (_: string, fn: (e: MessageEvent) => void) => listeners.add(fn),
    removeEventListener: (_: string, fn: (e: MessageEvent) => void) => listeners.delete(fn),
    postMessage: (data: (typeof posted)[number]) => posted.push(data),
    [DEVTOOLS_HOOK]: hook,
  }
  const send = (name: string, message: unknown) => {
    for (const fn of [...listeners]) fn({ source: win, data: { source: MESSAGE_SOURCE, to: 'inspector', name, message } } as unknown as MessageEvent)
  }
  return { win: win as unknown as Window, listeners, posted, send }
}

describe('connectDevtools and the extension hook', () => {
  it('lists the store in the hook, answers to the name the hook gives, and unlists it on disconnect', () => {
    const calls: string[] = []
    const hook = { version: 1, register: (name: string) => (calls.push(`register ${name}`), { name: `${name} (2)`, unregister: () => calls.push('unregister') }) }
    const { win, posted, send, listeners } = fakeWindow(hook)
    const stop = connectDevtools(createStore({ value: { n: 0 } }), { name: 'app', window: win })
    send('app', { type: 'connect', version: 1 }) // the requested name is not the listed one
    send('app (2)', { type: 'connect', version: 1 })
    expect(posted.map((p) => [p.name, p.message.type, p.message.name])).toEqual([['app (2)', 'hello', 'app (2)']])
    stop()
    expect(calls).toEqual(['register app', 'unregister'])
    expect(listeners.size).toBe(0)
  })

  it("whatever a page put at the hook's name (not a hook, a throwing one, one answering nonsense) never breaks the app's call", () => {
    const hostile = [
      'a string',
      { version: 2, register: () => ({ name: 'x', unregister() {} }) },
      { version: 1, register: () => { throw new Error('boom') } },
      { version: 1, register: () => ({ name: 42, unregister() {} }) },
      { version: 1, register: () => null },
      Object.defineProperty({ version: 1 }, 'register', { get: () => { throw new Error('getter') } }),
      Object.defineProperty({}, 'version', { get: () => { throw new Error('getter') } }),
      { version: 1, register: () => ({ name: 'app', unregister: () => { throw new Error('on stop') } }) },
    ]
    for (const hook of hostile) {
      const { win, posted, send } = fakeWindow(hook)
      let stop: () => void = () => {}
      expect(() => (stop = connectDevtools(createStore({ value: {} }), { name: 'app', window: win }))).not.toThrow()
      send('app', { type: 'connect', version: 1 })
      expect(posted.map((p) => p.message.type)).toEqual(['hello'])
      expect(() => stop()).not.toThrow()
    }
  })
})
