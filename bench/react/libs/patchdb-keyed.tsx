import { memo, type ReactNode } from 'react'
import { createIndex, createStore, type KeyedIndex, type Store } from 'patchdb'
import { useItem, useKeys } from 'patchdb/react'
import { RowView, startPage } from '../page'
import { updateEvery10th } from './patchdb-writes'
import type { Row } from '../protocol'

// patchdb written the way its README recommends for lists: rows keyed by id through an
// index, so a row's identity is its key, not its position.
interface Doc {
  rows: Row[]
}
let store: Store<Doc>
let rows: KeyedIndex<Readonly<Row>, number>

const RowItem = memo(function RowItem({ id }: { id: number }) {
  const row = useItem(rows, id)!
  return <RowView id={row.id} label={row.label} />
})

function List(): ReactNode {
  return useKeys(rows).map((id) => <RowItem key={id} id={id} />)
}

startPage(
  {
    init(initial) {
      rows?.dispose()
      store = createStore<Doc>({ value: { rows: initial } })
      rows = createIndex(store, '/rows', (row) => row.id)
    },
    App: List,
    updateEvery10th: () => void store.apply(updateEvery10th(store.get().rows)),
    // A reorder is written as moves: the rows keep their objects, no value is copied.
    swap(a, b) {
      const [lo, hi] = a < b ? [a, b] : [b, a]
      store.apply([
        { op: 'move', from: `/rows/${lo}`, path: `/rows/${hi}` },
        { op: 'move', from: `/rows/${hi - 1}`, path: `/rows/${lo}` },
      ])
    },
    remove: (index) => void store.apply([{ op: 'remove', path: `/rows/${index}` }]),
  },
  Number(new URLSearchParams(location.search).get('n')),
)
