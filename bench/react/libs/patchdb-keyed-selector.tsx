import { memo, type ReactNode } from 'react'
import type { KeyedIndex } from 'patchdb'
import { useItem, useKeys, usePatchSelector } from 'patchdb/react'
import { RowView } from '../page'
import { startKeyedPage } from './patchdb-page'
import type { Row } from '../protocol'

// patchdb keyed as its README recommends, but each row selecting its own flag from
// '/selected' (as the Zustand and Redux rows do): 1,000 watchers of one pointer.
let rows: KeyedIndex<Readonly<Row>, number>

const RowItem = memo(function RowItem({ id }: { id: number }) {
  const row = useItem(rows, id)!
  const selected = usePatchSelector('/selected', (s) => s === id)
  return <RowView id={row.id} label={row.label} selected={selected} />
})

function List(): ReactNode {
  return useKeys(rows).map((id) => <RowItem key={id} id={id} />)
}

startKeyedPage((index) => (rows = index), List)
