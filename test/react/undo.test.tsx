// @vitest-environment jsdom
import { act, cleanup, render } from '@testing-library/react'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it } from 'vitest'
import { createStore, createUndoManager, type JsonValue, type Store } from 'patchdb'
import { PatchProvider, UndoProvider, useUndo, type UndoControls } from 'patchdb/react'

afterEach(cleanup)

const make = () => createStore<JsonValue>({ value: { todos: ['a'], filter: 'all' } })

/** Renders the controls it gets, counts its renders, and hands them to the test. */
function probe() {
  const seen = { renders: 0, controls: null as UndoControls | null }
  function Toolbar({ scope }: { scope?: Parameters<typeof useUndo>[0] }) {
    const controls = useUndo(scope)
    seen.renders++
    seen.controls = controls
    return (
      <p>
        {controls.canUndo ? 'U' : '-'}
        {controls.canRedo ? 'R' : '-'} {controls.undoLabel ?? ''}
      </p>
    )
  }
  return { seen, Toolbar }
}

const mount = (store: Store<JsonValue>, node: React.ReactNode) => render(<PatchProvider store={store}>{node}</PatchProvider>)

describe('useUndo', () => {
  it('re-renders only when canUndo, canRedo or a label changes, under real React rendering', () => {
    const store = make()
    const { seen, Toolbar } = probe()
    const { container } = mount(store, <Toolbar scope="/todos" />)
    expect(seen.renders).toBe(1)
    act(() => void store.set('/filter', 'done')) // outside the scope
    expect(seen.renders).toBe(1)
    act(() => void store.set('/todos/0', 'b'))
    expect(seen.renders).toBe(2)
    expect(container.textContent).toBe('U- ')
    act(() => void store.set('/todos/0', 'c')) // still canUndo, no labels: nothing to show
    act(() => void store.apply([{ op: 'add', path: '/todos/-', value: 'd' }]))
    expect(seen.renders).toBe(2)
    act(() => void seen.controls!.undo()) // canRedo turns on
    expect(seen.renders).toBe(3)
    act(() => void seen.controls!.undo()) // same flags
    expect(seen.renders).toBe(3)
    act(() => void seen.controls!.undo()) // canUndo turns off
    expect(seen.renders).toBe(4)
    expect(container.textContent).toBe('-R ')
    expect(store.get('/todos')).toEqual(['a'])
    act(() => void store.set('/filter', 'all'))
    expect(seen.renders).toBe(4)
  })

  it('components asking for the same scope share one manager, which outlives them', () => {
    const store = make()
    const a = probe()
    const b = probe()
    const view = mount(
      store,
      <>
        <a.Toolbar scope={['/todos']} />
        <b.Toolbar scope="/todos" />
      </>,
    )
    expect(a.seen.controls!.manager).toBe(b.seen.controls!.manager)
    act(() => void store.set('/todos/0', 'b'))
    act(() => void a.seen.controls!.undo())
    expect(b.seen.controls!.canRedo).toBe(true)
    view.unmount()
    const c = probe()
    mount(store, <c.Toolbar scope="/todos" />)
    expect(c.seen.controls!.canRedo).toBe(true) // the history survived the unmount
    expect(c.seen.controls!.manager).toBe(a.seen.controls!.manager)
  })

  it("useUndo() takes the UndoProvider's manager, with its labels; useUndo(manager) takes that one", () => {
    const store = make()
    const manager = createUndoManager(store, { scope: '/todos', describe: ({ patch }) => `set ${JSON.stringify((patch[0] as { value: JsonValue }).value)}` })
    const p = probe()
    const q = probe()
    const { container } = mount(
      store,
      <UndoProvider manager={manager}>
        <p.Toolbar />
        <q.Toolbar scope={manager} />
      </UndoProvider>,
    )
    act(() => void store.set('/todos/0', 'b'))
    expect(p.seen.controls!.manager).toBe(manager)
    expect(q.seen.controls!.manager).toBe(manager)
    expect(container.textContent).toBe('U- set "b"U- set "b"')
    act(() => void store.set('/todos/0', 'c')) // a new label: both render once more
    expect([p.seen.renders, q.seen.renders]).toEqual([3, 3])
  })

  it('renders on a server: the state the manager has then', () => {
    const store = make()
    const manager = createUndoManager(store, { scope: '/todos', describe: () => 'edit' })
    store.set('/todos/0', 'b')
    const { Toolbar } = probe()
    const html = renderToString(
      <PatchProvider store={store}>
        <Toolbar scope={manager} />
      </PatchProvider>,
    )
    expect(html.replace(/<!-- -->/g, '')).toBe('<p>U- edit</p>')
  })

  it('without a provider, useUndo() is the whole document; a scope or manager is needed outside a PatchProvider', () => {
    const store = make()
    const { seen, Toolbar } = probe()
    mount(store, <Toolbar />)
    act(() => void store.set('/filter', 'x'))
    expect(seen.controls!.canUndo).toBe(true)
    const onError = (e: ErrorEvent) => e.preventDefault() // React reports the thrown render error too
    window.addEventListener('error', onError)
    const error = console.error
    console.error = () => {}
    try {
      expect(() => render(<Toolbar />)).toThrow(/needs a <PatchProvider>/)
    } finally {
      console.error = error
      window.removeEventListener('error', onError)
    }
  })
})
