import { memo, type ReactNode } from 'react'
import { create } from 'zustand'
import { useShallow } from 'zustand/react/shallow'
import { RowView, startPage } from '../page'
import { updatedLabel, type Row } from '../protocol'

const useRows = create<{ rows: Row[] }>()(() => ({ rows: [] }))

const RowItem = memo(function RowItem({ index }: { index: number }) {
  const row = useRows((s) => s.rows[index]!)
  return <RowView id={row.id} label={row.label} />
})

function List(): ReactNode {
  const ids = useRows(useShallow((s) => s.rows.map((r) => r.id)))
  return ids.map((id, i) => <RowItem key={id} index={i} />)
}

startPage(
  {
    init: (rows) => useRows.setState({ rows }),
    App: List,
    updateEvery10th: () => useRows.setState((s) => ({ rows: s.rows.map((r, i) => (i % 10 === 0 ? updatedLabel(r) : r)) })),
    swap: (a, b) =>
      useRows.setState((s) => {
        const rows = s.rows.slice()
        ;[rows[a], rows[b]] = [rows[b]!, rows[a]!]
        return { rows }
      }),
    remove: (index) => useRows.setState((s) => ({ rows: s.rows.filter((_, i) => i !== index) })),
  },
  Number(new URLSearchParams(location.search).get('n')),
)
