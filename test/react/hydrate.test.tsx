// @vitest-environment jsdom
import { act } from 'react'
import { hydrateRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { createStore, serializeDump, type Store } from 'patchdb'
import { App, PatchProvider, pageDump, renders, type Page } from './fixtures/ssr-app'

let container: HTMLElement
let root: Root | undefined
let consoleError: MockInstance
let recoverable: unknown[]

beforeEach(() => {
  ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
  consoleError = vi.spyOn(console, 'error')
  recoverable = []
  for (const k of Object.keys(renders)) delete renders[k]
})
afterEach(() => {
  act(() => root?.unmount())
  container.remove()
  consoleError.mockRestore()
})

/** Puts the server's HTML in the page, as the browser would receive it. */
function serverHtml(): string {
  const html = renderToString(<PatchProvider dump={pageDump()}><App /></PatchProvider>)
  container = document.body.appendChild(document.createElement('div'))
  container.innerHTML = html
  for (const k of Object.keys(renders)) delete renders[k]
  return html
}

const options = { onRecoverableError: (e: unknown) => void recoverable.push(e) }
const text = (sel: string) => container.querySelector(sel)!.textContent

describe('hydration from a server dump', () => {
  it('hydrates with zero console.error, then an update re-renders only affected components', async () => {
    const html = serverHtml()
    // The client gets the dump through the inline script, as serialized.
    const dump = JSON.parse(serializeDump(pageDump()))
    let store!: Store<Page>
    await act(async () => {
      store = createStore<Page>(dump)
      root = hydrateRoot(container, <PatchProvider store={store}><App /></PatchProvider>, options)
    })
    expect(consoleError).not.toHaveBeenCalled()
    expect(recoverable).toEqual([])
    expect(container.innerHTML).toBe(html)
    expect(renders).toEqual({ title: 1, item0: 1, item1: 1, item2: 1, revision: 1, late: 1 })

    for (const k of Object.keys(renders)) delete renders[k]
    let status = ''
    act(() => void ({ status } = store.update({ id: dump.id + 1, patch: [{ op: 'replace', path: '/items/1/label', value: 'TWO' }] })))
    expect(status).toBe('applied')
    expect(text('[data-i="1"]')).toBe('TWO')
    expect(renders).toEqual({ item1: 1, revision: 1 })
    expect(consoleError).not.toHaveBeenCalled()
  })

  it("getServerSnapshot returns the dump's value even after the store moved on", async () => {
    serverHtml()
    let open!: () => void
    const gate = new Promise<void>((resolve) => (open = resolve))
    let store!: Store<Page>
    // The shell hydrates while <Late> waits on `gate`; then the store moves past the dump.
    await act(async () => {
      store = createStore<Page>(pageDump())
      root = hydrateRoot(container, <PatchProvider store={store}><App gate={gate} /></PatchProvider>, options)
    })
    expect(renders.late).toBeUndefined()
    act(() => void store.update({ id: 8, patch: [{ op: 'replace', path: '/late', value: 'newer' }] }))
    expect(text('#late')).toBe('late') // still the server's HTML, not hydrated yet
    // Hydrating <Late> now must match the server HTML (the dump), then catch up.
    await act(async () => open())
    expect(recoverable).toEqual([])
    expect(consoleError).not.toHaveBeenCalled()
    expect(text('#late')).toBe('newer')
    expect(renders.late).toBe(2) // once against the dump's value, once for the new one
  })

  it('a dump provider hydrates the same HTML', async () => {
    const html = serverHtml()
    await act(async () => {
      root = hydrateRoot(container, <PatchProvider dump={pageDump()}><App /></PatchProvider>, options)
    })
    expect(container.innerHTML).toBe(html)
    expect(consoleError).not.toHaveBeenCalled()
    expect(recoverable).toEqual([])
  })
})
