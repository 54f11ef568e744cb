import { batch, observable, type Observable } from '@legendapp/state'
import { For, useSelector } from '@legendapp/state/react'
import type { ReactNode } from 'react'
import { RowView, startPage } from '../page'
import type { Row } from '../protocol'

const state$ = observable({ rows: [] as Row[] })

function RowItem({ item$ }: { item$: Observable<Row> }): ReactNode {
  const row = useSelector(() => item$.get())
  return <RowView id={row.id} label={row.label} />
}

// `For` keys items by their `id` and re-renders an item only when it changes.
const List = (): ReactNode => <For each={state$.rows} item={RowItem} optimized />

startPage(
  {
    init: (rows) => state$.rows.set(rows),
    App: List,
    updateEvery10th: () =>
      batch(() => {
        const n = state$.rows.peek().length
        for (let i = 0; i < n; i += 10) state$.rows[i]!.label.set((l) => l + ' !!!')
      }),
    swap(a, b) {
      const rows = state$.rows.peek().slice()
      ;[rows[a], rows[b]] = [rows[b]!, rows[a]!]
      state$.rows.set(rows)
    },
    remove: (index) => void state$.rows.splice(index, 1),
  },
  Number(new URLSearchParams(location.search).get('n')),
)
