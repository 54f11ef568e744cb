// @vitest-environment jsdom
import { act, cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { createStore, PatchError } from 'patchdb'
import { createInspector } from 'patchdb/devtools'
import { PatchProvider, usePatch, usePatchSelector } from 'patchdb/react'

afterEach(() => cleanup())

const pointerCalls = (inspector: ReturnType<typeof createInspector>, at = -1) =>
  new Map(inspector.entries().at(at)!.calls!.pointers.map((p) => [p.pointer, p]))

function TodoCount() {
  const n = usePatch('/todos', { label: 'TodoCount' })
  return <p>{Array.isArray(n) ? n.length : 0}</p>
}
function FirstTitle() {
  const title = usePatchSelector('/todos', (t) => (Array.isArray(t) ? JSON.stringify(t[0]) : ''), undefined, { label: 'FirstTitle' })
  return <p>{title}</p>
}
function Unnamed() {
  const n = usePatch('/todos')
  return <p>{Array.isArray(n) ? n.length : 0}</p>
}

describe('render attribution names the components that label their hooks', () => {
  it('a labelled usePatch and usePatchSelector show up by label in inspector.entries(), beside unlabelled watchers', () => {
    const store = createStore({ value: { todos: [] as string[] } })
    const inspector = createInspector(store)
    const ui = render(
      <PatchProvider store={store}>
        <TodoCount />
        <TodoCount />
        <FirstTitle />
        <Unnamed />
      </PatchProvider>,
    )
    act(() => void store.set('/todos', ['a']))
    expect(ui.container.textContent).toBe('11"a"1')
    const todos = pointerCalls(inspector).get('/todos')!
    expect(todos.calls).toBe(4)
    expect(todos.labels).toEqual([
      { label: 'TodoCount', calls: 2 },
      { label: 'FirstTitle', calls: 1 },
    ])
    inspector.close()
  })

  it('unmounting a labelled component drops its label from later revisions', () => {
    const store = createStore({ value: { todos: [] as string[] } })
    const inspector = createInspector(store)
    const ui = render(
      <PatchProvider store={store}>
        <TodoCount />
        <Unnamed />
      </PatchProvider>,
    )
    act(() => void store.set('/todos', ['a']))
    expect(pointerCalls(inspector).get('/todos')!.labels).toEqual([{ label: 'TodoCount', calls: 1 }])
    ui.rerender(
      <PatchProvider store={store}>
        <Unnamed />
      </PatchProvider>,
    )
    act(() => void store.set('/todos', ['a', 'b']))
    expect(pointerCalls(inspector).get('/todos')).toEqual({ pointer: '/todos', calls: 1 })
    // The earlier entry keeps the labels it was recorded with.
    expect(pointerCalls(inspector, -2).get('/todos')!.labels).toEqual([{ label: 'TodoCount', calls: 1 }])
    inspector.close()
  })

  it('store.watch labels are counted per pointer, any string is a label (even __proto__), and a label that is not a string is refused', () => {
    const store = createStore({ value: { a: 0 } })
    const inspector = createInspector(store)
    const off = store.watch('/a', () => {}, { label: '__proto__' })
    store.watch('/a', () => {}, { label: '__proto__' })
    store.watch('', () => {}, { label: 'root' })
    store.set('/a', 1)
    const calls = pointerCalls(inspector)
    expect(calls.get('/a')!.labels).toEqual([{ label: '__proto__', calls: 2 }])
    expect(calls.get('')!.labels).toEqual([{ label: 'root', calls: 1 }])
    off()
    off()
    store.set('/a', 2)
    expect(pointerCalls(inspector).get('/a')!.labels).toEqual([{ label: '__proto__', calls: 1 }])
    expect(() => store.watch('/a', () => {}, { label: 42 as unknown as string })).toThrow(PatchError)
    expect(() => store.watch('/a', () => {}, 'label' as never)).toThrow(/watch options are an object/)
    expect(store.stats().watchers).toBe(2)
    inspector.close()
  })
})
