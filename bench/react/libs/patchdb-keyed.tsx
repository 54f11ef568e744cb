import { memo, type ReactNode } from 'react'
import type { KeyedIndex } from 'patchdb'
import { useItem, useKeys, usePatch } from 'patchdb/react'
import { RowView } from '../page'
import { startKeyedPage } from './patchdb-page'
import type { Row } from '../protocol'

// patchdb written the way its README recommends for lists: rows keyed by id through an
// index, so a row's identity is its key, not its position; the selected id read once by the
// list and handed to each row as a boolean (a row renders when its own flag flips).
let rows: KeyedIndex<Readonly<Row>, number>

const RowItem = memo(function RowItem({ id, selected }: { id: number; selected: boolean }) {
  const row = useItem(rows, id)!
  return <RowView id={row.id} label={row.label} selected={selected} />
})

function List(): ReactNode {
  const selected = usePatch('/selected')
  return useKeys(rows).map((id) => <RowItem key={id} id={id} selected={id === selected} />)
}

startKeyedPage((index) => (rows = index), List)
