// @vitest-environment jsdom
import { Component, memo, type ReactNode } from 'react'
import { renderToString } from 'react-dom/server'
import { act, cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createIndex, createStore, type KeyedIndex } from 'patchdb'
import { useItem, useKeys } from 'patchdb/react'

interface Row {
  id: number
  label: string
}
const N = 1000

let listRenders = 0
const rowRenders = new Map<number, number>()
afterEach(() => {
  cleanup()
  listRenders = 0
  rowRenders.clear()
})

type Rows = KeyedIndex<Readonly<Row>, number>

const RowView = memo(function RowView({ rows, id }: { rows: Rows; id: number }) {
  const row = useItem(rows, id)
  rowRenders.set(id, (rowRenders.get(id) ?? 0) + 1)
  return <li>{row ? `${row.id}:${row.label}` : 'gone'}</li>
})

function List({ rows }: { rows: Rows }): ReactNode {
  listRenders++
  return (
    <ul>
      {useKeys(rows).map((id) => (
        <RowView key={id} rows={rows} id={id} />
      ))}
    </ul>
  )
}

function mount() {
  const store = createStore<{ rows: Row[] }>({ value: { rows: Array.from({ length: N }, (_, id) => ({ id, label: `row ${id}` })) } })
  const rows = createIndex(store, '/rows', (row) => row.id)
  const view = render(<List rows={rows} />)
  expect(listRenders).toBe(1)
  expect(rowRenders.size).toBe(N)
  listRenders = 0
  rowRenders.clear()
  const shown = () => [...view.container.querySelectorAll('li')].map((li) => li.textContent)
  const want = () => store.get('/rows').map((r) => `${r.id}:${r.label}`)
  return { store, rows, shown, want }
}

describe('useKeys and useItem: 1,000 keyed rows', () => {
  it('removing a row renders the list once and no row', () => {
    const { store, shown, want } = mount()
    act(() => void store.apply([{ op: 'remove', path: '/rows/2' }]))
    expect(listRenders).toBe(1)
    expect([...rowRenders.keys()]).toEqual([])
    expect(shown()).toEqual(want())
    expect(shown()).toHaveLength(N - 1)
  })

  it('inserting a row renders the list once and only the new row', () => {
    const { store, shown, want } = mount()
    act(() => void store.apply([{ op: 'add', path: '/rows/0', value: { id: N, label: 'new' } }]))
    expect(listRenders).toBe(1)
    expect([...rowRenders.entries()]).toEqual([[N, 1]])
    expect(shown()).toEqual(want())
  })

  it('swapping two rows (two replaces) renders the list once and no row', () => {
    const { store, shown, want } = mount()
    const [a, b] = [store.get('/rows/1')!, store.get('/rows/998')!]
    act(
      () =>
        void store.apply([
          { op: 'replace', path: '/rows/1', value: b },
          { op: 'replace', path: '/rows/998', value: a },
        ]),
    )
    expect(listRenders).toBe(1)
    expect([...rowRenders.keys()]).toEqual([])
    expect(shown()).toEqual(want())
    expect(shown()[1]).toBe('998:row 998')
  })

  it('moving a row renders the list once and no row', () => {
    const { store, shown, want } = mount()
    act(() => void store.apply([{ op: 'move', from: '/rows/0', path: '/rows/-' }]))
    expect(listRenders).toBe(1)
    expect([...rowRenders.keys()]).toEqual([])
    expect(shown()).toEqual(want())
    expect(shown().at(-1)).toBe('0:row 0')
  })

  it('editing a row renders that row only, once, and not the list', () => {
    const { store, shown, want } = mount()
    act(() => void store.apply([{ op: 'replace', path: '/rows/500/label', value: 'edited' }]))
    expect(listRenders).toBe(0)
    expect([...rowRenders.entries()]).toEqual([[500, 1]])
    expect(shown()[500]).toBe('500:edited')
    expect(shown()).toEqual(want())
  })

  it('editing every 10th row renders those 100 rows once each, and not the list', () => {
    const { store, shown, want } = mount()
    act(() => void store.apply(Array.from({ length: N / 10 }, (_, i) => ({ op: 'replace' as const, path: `/rows/${i * 10}/label`, value: 'x' }))))
    expect(listRenders).toBe(0)
    expect([...rowRenders.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: N / 10 }, (_, i) => i * 10))
    expect([...rowRenders.values()].every((n) => n === 1)).toBe(true)
    expect(shown()).toEqual(want())
  })

  it('a moved row still re-renders alone when it is edited later', () => {
    const { store, shown, want } = mount()
    act(() => void store.apply([{ op: 'move', from: '/rows/10', path: '/rows/0' }]))
    listRenders = 0
    act(() => void store.apply([{ op: 'replace', path: '/rows/0/label', value: 'moved' }]))
    expect(listRenders).toBe(0)
    expect([...rowRenders.entries()]).toEqual([[10, 1]])
    expect(shown()[0]).toBe('10:moved')
    expect(shown()).toEqual(want())
  })
})

describe('useKeys and useItem around the edges', () => {
  it('render on a server from the index', () => {
    const store = createStore<{ rows: Row[] }>({ value: { rows: [{ id: 7, label: 'seven' }] } })
    const rows = createIndex(store, '/rows', (row) => row.id)
    expect(renderToString(<List rows={rows} />)).toBe('<ul><li>7:seven</li></ul>')
  })

  it('an index that fails (a duplicate key) throws to the error boundary, and the list comes back once it is repaired', () => {
    class Boundary extends Component<{ children: ReactNode }, { error: unknown }> {
      override state = { error: null as unknown }
      static getDerivedStateFromError(error: unknown) {
        return { error }
      }
      override render() {
        return this.state.error ? <p>{String((this.state.error as Error).message)}</p> : this.props.children
      }
    }
    const store = createStore<{ rows: Row[] }>({ value: { rows: [{ id: 1, label: 'a' }, { id: 2, label: 'b' }] } })
    const rows = createIndex(store, '/rows', (row) => row.id, { onError: () => {} })
    const onError = (e: ErrorEvent) => e.preventDefault() // React reports caught errors on window too
    window.addEventListener('error', onError)
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const view = render(
      <Boundary>
        <List rows={rows} />
      </Boundary>,
    )
    try {
      act(() => void store.apply([{ op: 'replace', path: '/rows/1/id', value: 1 }]))
      expect(view.container.textContent).toMatch(/items 0 and 1 have the same key 1/)
    } finally {
      window.removeEventListener('error', onError)
      logged.mockRestore()
    }
    act(() => void store.apply([{ op: 'replace', path: '/rows/1/id', value: 3 }]))
    expect(rows.keys()).toEqual([1, 3])
  })
})
