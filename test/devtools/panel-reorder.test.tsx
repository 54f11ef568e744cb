// @vitest-environment jsdom
import { cleanup, fireEvent, render, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { createStore } from 'patchdb'
import { connectDirect, createInspector, PatchDevtools, type PanelMessage } from 'patchdb/devtools'

afterEach(cleanup)

/** A real store and inspector, the panel on a direct connection whose commands are recorded. */
function setup() {
  const store = createStore({ value: { list: ['a'] } })
  const inspector = createInspector(store)
  for (const v of ['b', 'c', 'd']) store.apply([{ op: 'add', path: '/list/-', value: v }], { label: `add ${v}` })
  const connection = connectDirect(inspector)
  const sent: PanelMessage[] = []
  const send = connection.send.bind(connection)
  connection.send = (m) => {
    sent.push(m)
    send(m)
  }
  const { container } = render(<PatchDevtools connection={connection} inline />)
  const region = container.querySelector('[data-patchdb-devtools]')!.shadowRoot!.querySelector('section')!
  const ui = within(region as HTMLElement)
  const list = ui.getByRole('listbox', { name: 'Revisions' })
  const order = () => ui.getAllByRole('option').map((o) => /^#\d+ add (\w)/.exec(o.textContent!)![1]).join('')
  const reorders = () => sent.filter((m) => m.type === 'reorder')
  const button = (name: string) => ui.getByRole('button', { name }) as HTMLButtonElement
  return { store, inspector, ui, list, order, reorders, button }
}

describe('reordering revisions from the panel', () => {
  it('Move earlier / Move later send reorder for the selected revision; the list and the store head follow', () => {
    const { store, ui, order, reorders, button } = setup()
    expect(order()).toBe('bcd')
    // Live: the newest (#3, add d) is selected; it cannot move later.
    expect(button('Move later').disabled).toBe(true)
    fireEvent.click(button('Move earlier'))
    expect(reorders()).toEqual([{ type: 'reorder', id: 3, beforeId: 2 }])
    expect(order()).toBe('bdc')
    expect(store.get()).toEqual({ list: ['a', 'b', 'd', 'c'] })
    expect(ui.getByRole('option', { selected: true }).textContent).toMatch(/^#3 /) // the selection moved with it
    fireEvent.click(button('Move earlier'))
    expect(reorders().at(-1)).toEqual({ type: 'reorder', id: 3, beforeId: 1 })
    expect(store.get()).toEqual({ list: ['a', 'd', 'b', 'c'] })
    expect(button('Move earlier').disabled).toBe(true) // first now
    fireEvent.click(button('Move later'))
    // Later: just after the next one (#1), i.e. before the one after it (#2).
    expect(reorders().at(-1)).toEqual({ type: 'reorder', id: 3, beforeId: 2 })
    fireEvent.click(button('Move later'))
    expect(reorders().at(-1)).toEqual({ type: 'reorder', id: 3, beforeId: null }) // to the end
    expect(order()).toBe('bcd')
    expect(store.get()).toEqual({ list: ['a', 'b', 'c', 'd'] })
    expect(ui.queryByRole('alert')).toBeNull()
  })

  it('Alt+ArrowUp / Alt+ArrowDown in the list move the selected revision, plain arrows only select', () => {
    const { store, list, ui, order, reorders } = setup()
    fireEvent.keyDown(list, { key: 'Home' })
    expect(ui.getByRole('option', { selected: true }).textContent).toMatch(/^#1 /)
    fireEvent.keyDown(list, { key: 'ArrowUp', altKey: true }) // already first: nothing to send
    expect(reorders()).toEqual([])
    fireEvent.keyDown(list, { key: 'ArrowDown', altKey: true })
    expect(reorders()).toEqual([{ type: 'reorder', id: 1, beforeId: 3 }])
    expect(order()).toBe('cbd')
    expect(store.get()).toEqual({ list: ['a', 'c', 'b', 'd'] })
    fireEvent.keyDown(list, { key: 'ArrowDown' }) // selection only
    expect(reorders()).toHaveLength(1)
    expect(ui.getByRole('option', { selected: true }).textContent).toMatch(/^#3 /)
    fireEvent.keyDown(list, { key: 'ArrowUp', altKey: true })
    expect(reorders().at(-1)).toEqual({ type: 'reorder', id: 3, beforeId: 1 })
    expect(order()).toBe('cdb')
    expect(store.get()).toEqual({ list: ['a', 'c', 'd', 'b'] })
  })

  it('dragging a revision onto another puts it in that one’s place (after it going down, before it going up)', () => {
    const { store, ui, order, reorders } = setup()
    const option = (id: number) => ui.getByRole('option', { name: new RegExp(`^#${id} `) })
    const dataTransfer = { setData() {}, effectAllowed: '', dropEffect: '' }
    const drag = (from: number, to: number) => {
      fireEvent.dragStart(option(from), { dataTransfer })
      fireEvent.dragOver(option(to), { dataTransfer })
      fireEvent.drop(option(to), { dataTransfer })
      fireEvent.dragEnd(option(from), { dataTransfer })
    }
    drag(1, 3)
    expect(reorders()).toEqual([{ type: 'reorder', id: 1, beforeId: null }])
    expect(order()).toBe('cdb')
    drag(1, 2)
    expect(reorders().at(-1)).toEqual({ type: 'reorder', id: 1, beforeId: 2 })
    expect(order()).toBe('bcd')
    expect(store.get()).toEqual({ list: ['a', 'b', 'c', 'd'] })
    // A drop that did not start on a row (a file from the desktop) moves nothing.
    fireEvent.drop(option(2), { dataTransfer })
    expect(reorders()).toHaveLength(2)
  })

  it('moving while travelling keeps showing the same revision, now replayed in the new order', () => {
    const { store, ui, list, reorders, button } = setup()
    fireEvent.click(ui.getByRole('option', { name: /^#2 / }))
    fireEvent.keyDown(list, { key: 'Enter' })
    expect(store.get()).toEqual({ list: ['a', 'b', 'c'] })
    fireEvent.click(button('Move earlier'))
    expect(reorders()).toEqual([{ type: 'reorder', id: 2, beforeId: 1 }])
    expect(ui.getByRole('status').textContent).toMatch(/showing #2/)
    expect(store.get()).toEqual({ list: ['a', 'c'] }) // #2 is now the first revision replayed
    fireEvent.click(button('Live'))
    expect(store.get()).toEqual({ list: ['a', 'c', 'b', 'd'] })
  })

  it('with a pointer filter, moving steps past the next revision that touched the pointer', () => {
    const store = createStore({ value: { list: [] as string[], other: 0 } })
    const inspector = createInspector(store)
    store.apply([{ op: 'add', path: '/list/-', value: 'x' }], { label: 'add x' })
    store.apply([{ op: 'replace', path: '/other', value: 1 }], { label: 'other' })
    store.apply([{ op: 'add', path: '/list/-', value: 'y' }], { label: 'add y' })
    const { container } = render(<PatchDevtools connection={connectDirect(inspector)} inline />)
    const ui = within(container.querySelector('[data-patchdb-devtools]')!.shadowRoot!.querySelector('section') as HTMLElement)
    fireEvent.change(ui.getByRole('textbox', { name: 'Filter by pointer' }), { target: { value: '/list' } })
    expect(ui.getAllByRole('option').map((o) => o.textContent!.slice(0, 2))).toEqual(['#1', '#3'])
    fireEvent.click(ui.getByRole('option', { name: /^#3 / }))
    fireEvent.click(ui.getByRole('button', { name: 'Move earlier' }))
    expect(inspector.entries().map((e) => e.id)).toEqual([3, 1, 2])
    expect(store.get()).toEqual({ list: ['y', 'x'], other: 1 })
  })
})
