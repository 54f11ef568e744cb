import { memo, type ReactNode } from 'react'
import { createStore } from 'patchdb'
import { usePatch } from 'patchdb/react'
import { RowView } from '../page'
import { startPatchdbPage, type Doc } from './patchdb-page'
import type { Row } from '../protocol'

// patchdb as useReducer is used: the list reads the whole array and hands each memoised row
// its item; structural sharing keeps every unchanged item the same object, so memo skips it.
const RowItem = memo(function RowItem({ row, selected }: { row: Readonly<Row>; selected: boolean }) {
  return <RowView id={row.id} label={row.label} selected={selected} />
})

function List(): ReactNode {
  const rows = usePatch('/rows') as unknown as readonly Readonly<Row>[]
  const selected = usePatch('/selected')
  return rows.map((row) => <RowItem key={row.id} row={row} selected={row.id === selected} />)
}

startPatchdbPage(
  (rows) => createStore<Doc>({ value: { rows, selected: null } }),
  List,
)
