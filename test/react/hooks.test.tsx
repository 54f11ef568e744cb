// @vitest-environment jsdom
import { StrictMode, useState, type ReactNode } from 'react'
import { act, cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createStore, type Store } from 'patchdb'
import { PatchProvider, useApply, usePatch, usePatchSelector, useRevision, useSet, useStore } from 'patchdb/react'

afterEach(cleanup)

interface Doc {
  todos: { title: string; done: boolean }[]
  settings: { theme: string; 'a/b': number }
  nothing: null
}
const initial = (): Doc => ({
  todos: [
    { title: 'a', done: false },
    { title: 'b', done: true },
  ],
  settings: { theme: 'light', 'a/b': 1 },
  nothing: null,
})

const withStore = (store: Store<Doc>) =>
  function Wrapper({ children }: { children: ReactNode }) {
    return <PatchProvider store={store}>{children}</PatchProvider>
  }

function Show({ path, tag }: { path: string | (string | number)[]; tag: string }) {
  const value = usePatch(path)
  return <output data-tag={tag}>{value === undefined ? 'missing' : JSON.stringify(value)}</output>
}
const text = (c: HTMLElement, tag: string) => c.querySelector(`[data-tag="${tag}"]`)!.textContent

describe('usePatch', () => {
  it('reads pointers and tuples, with undefined for missing and null as a value', () => {
    const store = createStore<Doc>({ value: initial() })
    const { container } = render(
      <>
        <Show path="/settings/theme" tag="theme" />
        <Show path={['settings', 'a/b']} tag="tuple" />
        <Show path={['todos', 1, 'title']} tag="index" />
        <Show path="/todos/7" tag="missing" />
        <Show path="/nothing" tag="null" />
      </>,
      { wrapper: withStore(store) },
    )
    expect(text(container, 'theme')).toBe('"light"')
    expect(text(container, 'tuple')).toBe('1')
    expect(text(container, 'index')).toBe('"b"')
    expect(text(container, 'missing')).toBe('missing')
    expect(text(container, 'null')).toBe('null')
    act(() => void store.set('/settings/a~1b', 2))
    expect(text(container, 'tuple')).toBe('2')
  })

  it('throws a clear error outside a provider', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<Show path="/a" tag="x" />)).toThrow(/PatchProvider/)
    spy.mockRestore()
  })

  it('an inline tuple does not resubscribe on every render', () => {
    const store = createStore<Doc>({ value: initial() })
    const watch = vi.spyOn(store, 'watch')
    let bump!: () => void
    function Parent() {
      const [n, setN] = useState(0)
      bump = () => setN(n + 1)
      return <Show path={['todos', 0, 'title']} tag={`t${n}`} />
    }
    render(<Parent />, { wrapper: withStore(store) })
    for (let i = 0; i < 5; i++) act(() => bump())
    expect(watch).toHaveBeenCalledTimes(1)
    expect(store.stats().watchers).toBe(1)
  })
})

describe('usePatchSelector', () => {
  it('re-renders only when the selection changes, by isEqual', () => {
    const store = createStore<Doc>({ value: initial() })
    let renders = 0
    function Done() {
      const done = usePatchSelector(
        '/todos',
        (todos) => (todos as Doc['todos']).filter((t) => t.done).map((t) => t.title),
        (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
      )
      renders++
      return <output data-tag="done">{done.join(',')}</output>
    }
    const { container } = render(<Done />, { wrapper: withStore(store) })
    expect(text(container, 'done')).toBe('b')
    act(() => void store.set('/todos/0/title', 'A')) // /todos changed, the selection did not
    expect(renders).toBe(1)
    act(() => void store.set('/todos/0/done', true))
    expect(text(container, 'done')).toBe('A,b')
    expect(renders).toBe(2)
  })

  it('stable snapshots: an inline selector returning a new object never loops', () => {
    const store = createStore<Doc>({ value: initial() })
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    let renders = 0
    let bump!: () => void
    function Titles() {
      const [n, setN] = useState(0)
      bump = () => setN((x) => x + 1)
      // A fresh selector and a fresh array on every call: Zustand v5's infinite-loop case.
      const titles = usePatchSelector('/todos', (todos) => ({ list: (todos as Doc['todos']).map((t) => t.title) }))
      renders++
      return <output data-tag="titles">{`${n}:${titles.list.join(',')}`}</output>
    }
    const { container } = render(
      <StrictMode>
        <Titles />
      </StrictMode>,
      { wrapper: withStore(store) },
    )
    act(() => bump())
    act(() => void store.set('/todos/1/title', 'B'))
    act(() => void store.set('/settings/theme', 'dark')) // outside /todos: no render
    expect(text(container, 'titles')).toBe('1:a,B')
    expect(errors).not.toHaveBeenCalled()
    errors.mockRestore()
    // StrictMode renders twice per update: mount, bump, one store change = 3 updates.
    expect(renders).toBe(6)
  })

  it('an inline selector keeps the selection last rendered while isEqual holds, across renders from elsewhere and store changes', () => {
    const store = createStore<Doc>({ value: initial() })
    const seen: string[][] = []
    let bump!: () => void
    function Titles() {
      const [, setN] = useState(0)
      bump = () => setN((x) => x + 1)
      const titles = usePatchSelector(
        '/todos',
        (todos) => (todos as Doc['todos']).map((t) => t.title),
        (a, b) => a.join() === b.join(),
      )
      seen.push(titles)
      return null
    }
    render(<Titles />, { wrapper: withStore(store) })
    act(() => bump()) // a new selector and a new memo: the rendered array is kept
    act(() => void store.set('/todos/0/done', true)) // /todos changed, the titles did not: no render
    act(() => bump())
    expect(seen).toHaveLength(3)
    expect(seen[1]).toBe(seen[0])
    expect(seen[2]).toBe(seen[0])
    act(() => void store.set('/todos/0/title', 'A'))
    expect(seen).toHaveLength(4)
    expect(seen[3]).toEqual(['A', 'b'])
  })
})

describe('writes and revision', () => {
  it('useApply and useSet are stable callbacks; useRevision follows every revision', () => {
    const store = createStore<Doc>({ value: initial() })
    const seen: { apply: unknown; set: unknown; store: unknown }[] = []
    function Writer() {
      const apply = useApply()
      const set = useSet()
      const revision = useRevision()
      seen.push({ apply, set, store: useStore() })
      return (
        <>
          <output data-tag="rev">{revision}</output>
          <button data-tag="add" onClick={() => apply([{ op: 'add', path: '/todos/-', value: { title: 'c', done: false } }])} />
          <button data-tag="theme" onClick={() => set('/settings/theme', 'dark')} />
        </>
      )
    }
    const { container } = render(<Writer />, { wrapper: withStore(store) })
    act(() => (container.querySelector('[data-tag="add"]') as HTMLButtonElement).click())
    act(() => (container.querySelector('[data-tag="theme"]') as HTMLButtonElement).click())
    expect(store.get('/todos/2/title')).toBe('c')
    expect(store.get('/settings/theme')).toBe('dark')
    expect(text(container, 'rev')).toBe('2')
    expect(seen).toHaveLength(3)
    for (const s of seen) expect(s).toEqual({ apply: seen[0]!.apply, set: seen[0]!.set, store })
    expect(new Set(seen.map((s) => s.apply)).size).toBe(1)
    expect(new Set(seen.map((s) => s.set)).size).toBe(1)
  })

  it('a dump provider creates its store once, at the dump revision', () => {
    const stores = new Set<unknown>()
    let bump!: () => void
    function Probe() {
      const [, setN] = useState(0)
      bump = () => setN((x) => x + 1)
      stores.add(useStore())
      return <output data-tag="rev">{useRevision()}</output>
    }
    const { container } = render(
      <PatchProvider dump={{ id: 41, value: initial() }}>
        <Probe />
      </PatchProvider>,
    )
    act(() => bump())
    const [store] = [...stores] as Store<Doc>[]
    expect(stores.size).toBe(1)
    expect(text(container, 'rev')).toBe('41')
    act(() => void store!.set('/settings/theme', 'dark'))
    expect(text(container, 'rev')).toBe('42')
  })
})

describe('StrictMode', () => {
  it('double mount and unmount leaks no watcher: the trie is empty after unmount', () => {
    const store = createStore<Doc>({ value: initial() })
    function Many() {
      usePatch('/settings/theme')
      usePatch(['todos', 0, 'title'])
      usePatchSelector('/todos/1', (t) => t)
      useRevision()
      return null
    }
    const { unmount } = render(
      <StrictMode>
        <Many />
        <Many />
      </StrictMode>,
      { wrapper: withStore(store) },
    )
    expect(store.stats()).toMatchObject({ watchers: 6, subscribers: 2 })
    act(() => void store.set('/todos/0/title', 'x'))
    unmount()
    expect(store.stats()).toMatchObject({ watchers: 0, nodes: 1, subscribers: 0 })
  })
})
