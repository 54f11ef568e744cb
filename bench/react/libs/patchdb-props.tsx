import { memo, type ReactNode } from 'react'
import { createStore, type Store } from 'patchdb'
import { PatchProvider, usePatch } from 'patchdb/react'
import { RowView, startPage } from '../page'
import { append, updateEvery10th, type Doc } from './patchdb-writes'
import type { Row } from '../protocol'

// patchdb as useReducer is used: the list reads the whole array and hands each memoised row
// its item; structural sharing keeps every unchanged item the same object, so memo skips it.
let store: Store<Doc>

const RowItem = memo(function RowItem({ row, selected }: { row: Readonly<Row>; selected: boolean }) {
  return <RowView id={row.id} label={row.label} selected={selected} />
})

function List(): ReactNode {
  const rows = usePatch('/rows') as unknown as readonly Readonly<Row>[]
  const selected = usePatch('/selected')
  return rows.map((row) => <RowItem key={row.id} row={row} selected={row.id === selected} />)
}

startPage(
  {
    init: (rows) => void (store = createStore<Doc>({ value: { rows, selected: null } })),
    App: () => (
      <PatchProvider store={store}>
        <List />
      </PatchProvider>
    ),
    updateEvery10th: () => void store.apply(updateEvery10th(store.get().rows)),
    select: (id) => void store.set('/selected', id),
    swap(a, b) {
      const [lo, hi] = a < b ? [a, b] : [b, a]
      store.apply([
        { op: 'move', from: `/rows/${lo}`, path: `/rows/${hi}` },
        { op: 'move', from: `/rows/${hi - 1}`, path: `/rows/${lo}` },
      ])
    },
    remove: (index) => void store.apply([{ op: 'remove', path: `/rows/${index}` }]),
    append: (added) => void store.apply(append(added)),
    clear: () => void store.set('/rows', []),
  },
  Number(new URLSearchParams(location.search).get('n')),
)
