import { memo, useCallback, useSyncExternalStore, type ReactNode } from 'react'
import { proxy, useSnapshot } from 'valtio'
import { subscribeKey } from 'valtio/utils'
import { RowView, startPage } from '../page'
import type { Row } from '../protocol'

const state = proxy({ rows: [] as Row[], selected: null as number | null })

/** Whether this row is the selected one: a subscription to `selected` alone, so only the rows it flips render. */
function useSelected(id: number): boolean {
  const subscribe = useCallback((fn: () => void) => subscribeKey(state, 'selected', fn), [])
  return useSyncExternalStore(subscribe, () => state.selected === id)
}

const RowItem = memo(function RowItem({ row }: { row: Row }) {
  const snap = useSnapshot(row)
  return <RowView id={snap.id} label={snap.label} selected={useSelected(snap.id)} />
})

function List(): ReactNode {
  const snap = useSnapshot(state.rows)
  return snap.map((r, i) => <RowItem key={r.id} row={state.rows[i]!} />)
}

startPage(
  {
    init: (rows) => void ((state.rows = rows), (state.selected = null)),
    App: List,
    updateEvery10th() {
      for (let i = 0; i < state.rows.length; i += 10) state.rows[i]!.label += ' !!!'
    },
    select: (id) => void (state.selected = id),
    swap(a, b) {
      const [x, y] = [state.rows[a]!, state.rows[b]!]
      state.rows[a] = y
      state.rows[b] = x
    },
    remove: (index) => void state.rows.splice(index, 1),
    append: (rows) => void state.rows.push(...rows),
    clear: () => void state.rows.splice(0),
  },
  Number(new URLSearchParams(location.search).get('n')),
)
