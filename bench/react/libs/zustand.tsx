import { memo, type ReactNode } from 'react'
import { create } from 'zustand'
import { useShallow } from 'zustand/react/shallow'
import { RowView, startPage } from '../page'
import { updatedLabel, type Row } from '../protocol'

const useRows = create<{ rows: Row[]; selected: number | null }>()(() => ({ rows: [], selected: null }))

const RowItem = memo(function RowItem({ index }: { index: number }) {
  const row = useRows((s) => s.rows[index]!)
  const selected = useRows((s) => s.selected === row.id)
  return <RowView id={row.id} label={row.label} selected={selected} />
})

function List(): ReactNode {
  const ids = useRows(useShallow((s) => s.rows.map((r) => r.id)))
  return ids.map((id, i) => <RowItem key={id} index={i} />)
}

startPage(
  {
    init: (rows) => useRows.setState({ rows, selected: null }),
    App: List,
    updateEvery10th: () => useRows.setState((s) => ({ rows: s.rows.map((r, i) => (i % 10 === 0 ? updatedLabel(r) : r)) })),
    select: (id) => useRows.setState({ selected: id }),
    swap: (a, b) =>
      useRows.setState((s) => {
        const rows = s.rows.slice()
        ;[rows[a], rows[b]] = [rows[b]!, rows[a]!]
        return { rows }
      }),
    remove: (index) => useRows.setState((s) => ({ rows: s.rows.filter((_, i) => i !== index) })),
    append: (added) => useRows.setState((s) => ({ rows: [...s.rows, ...added] })),
    clear: () => useRows.setState({ rows: [] }),
  },
  Number(new URLSearchParams(location.search).get('n')),
)
