import { memo, type ReactNode } from 'react'
import { proxy, useSnapshot } from 'valtio'
import { RowView, startPage } from '../page'
import type { Row } from '../protocol'

const state = proxy({ rows: [] as Row[] })

const RowItem = memo(function RowItem({ row }: { row: Row }) {
  const snap = useSnapshot(row)
  return <RowView id={snap.id} label={snap.label} />
})

function List(): ReactNode {
  const snap = useSnapshot(state)
  return snap.rows.map((r, i) => <RowItem key={r.id} row={state.rows[i]!} />)
}

startPage(
  {
    init: (rows) => void (state.rows = rows),
    App: List,
    updateEvery10th() {
      for (let i = 0; i < state.rows.length; i += 10) state.rows[i]!.label += ' !!!'
    },
    swap(a, b) {
      const [x, y] = [state.rows[a]!, state.rows[b]!]
      state.rows[a] = y
      state.rows[b] = x
    },
    remove: (index) => void state.rows.splice(index, 1),
  },
  Number(new URLSearchParams(location.search).get('n')),
)
