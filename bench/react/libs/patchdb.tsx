import { memo, type ReactNode } from 'react'
import { createStore, type Store } from 'patchdb'
import { usePatch, usePatchSelector } from 'patchdb/react'
import { RowView } from '../page'
import { startPatchdbPage, type Doc } from './patchdb-page'
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

startPatchdbPage(
  (rows) => (store = createStore<Doc>({ value: { rows, selected: null } })),
  List,
  {
    // By index: a swap as two replaces renders the two rows (moves would shift 997 pointers).
    swap(a, b) {
      const rows = store.get().rows
      store.apply([
        { op: 'replace', path: `/rows/${a}`, value: rows[b]! },
        { op: 'replace', path: `/rows/${b}`, value: rows[a]! },
      ])
    },
  },
)
