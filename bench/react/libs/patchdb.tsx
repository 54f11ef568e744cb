import { memo, type ReactNode } from 'react'
import { createStore, type Store } from 'patchdb'
import { PatchProvider, usePatch, usePatchSelector } from 'patchdb/react'
import { RowView, startPage } from '../page'
import { append, updateEvery10th, type Doc } from './patchdb-writes'
import type { Row } from '../protocol'

// patchdb with rows addressed by position (a pointer per row): what the README advises
// against for lists that are reordered, measured to show why.
let store: Store<Doc>

const sameIds = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i])

const RowItem = memo(function RowItem({ index }: { index: number }) {
  const row = usePatch(`/rows/${index}`) as unknown as Row
  const selected = usePatchSelector('/selected', (s) => s === row.id)
  return <RowView id={row.id} label={row.label} selected={selected} />
})

function List(): ReactNode {
  const ids = usePatchSelector('/rows', (rows) => (rows as unknown as Row[]).map((r) => r.id), sameIds)
  return ids.map((id, i) => <RowItem key={id} index={i} />)
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
      const rows = store.get().rows
      store.apply([
        { op: 'replace', path: `/rows/${a}`, value: rows[b]! },
        { op: 'replace', path: `/rows/${b}`, value: rows[a]! },
      ])
    },
    remove: (index) => void store.apply([{ op: 'remove', path: `/rows/${index}` }]),
    append: (added) => void store.apply(append(added)),
    clear: () => void store.set('/rows', []),
  },
  Number(new URLSearchParams(location.search).get('n')),
)
