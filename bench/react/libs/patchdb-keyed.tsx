import { memo, type ReactNode } from 'react'
import { createIndex, createStore, type KeyedIndex, type Store } from 'patchdb'
import { PatchProvider, useItem, useKeys, usePatch } from 'patchdb/react'
import { RowView, startPage } from '../page'
import { append, updateEvery10th, type Doc } from './patchdb-writes'
import type { Row } from '../protocol'

// patchdb written the way its README recommends for lists: rows keyed by id through an
// index, so a row's identity is its key, not its position; the selected id read once by the
// list and handed to each row as a boolean (a row renders when its own flag flips).
let store: Store<Doc>
let rows: KeyedIndex<Readonly<Row>, number>

const RowItem = memo(function RowItem({ id, selected }: { id: number; selected: boolean }) {
  const row = useItem(rows, id)!
  return <RowView id={row.id} label={row.label} selected={selected} />
})

function List(): ReactNode {
  const selected = usePatch('/selected')
  return useKeys(rows).map((id) => <RowItem key={id} id={id} selected={id === selected} />)
}

startPage(
  {
    init(initial) {
      store = createStore<Doc>({ value: { rows: initial, selected: null } })
      rows = createIndex(store, '/rows', (row) => row.id)
    },
    App: () => (
      <PatchProvider store={store}>
        <List />
      </PatchProvider>
    ),
    updateEvery10th: () => void store.apply(updateEvery10th(store.get().rows)),
    select: (id) => void store.set('/selected', id),
    // A reorder is written as moves: the rows keep their objects, no value is copied.
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
