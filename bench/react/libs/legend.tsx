import { batch, observable, type Observable } from '@legendapp/state'
import { For, useSelector } from '@legendapp/state/react'
import type { ReactNode } from 'react'
import { RowView, startPage } from '../page'
import type { Row } from '../protocol'

const state$ = observable({ rows: [] as Row[], selected: null as number | null })

function RowItem({ item$ }: { item$: Observable<Row> }): ReactNode {
  const row = useSelector(() => item$.get())
  const selected = useSelector(() => state$.selected.get() === item$.id.peek())
  return <RowView id={row.id} label={row.label} selected={selected} />
}

// `For` keys items by their `id` and re-renders an item only when it changes.
const List = (): ReactNode => <For each={state$.rows} item={RowItem} optimized />

startPage(
  {
    init: (rows) => state$.set({ rows, selected: null }),
    App: List,
    updateEvery10th: () =>
      batch(() => {
        const n = state$.rows.peek().length
        for (let i = 0; i < n; i += 10) state$.rows[i]!.label.set((l) => l + ' !!!')
      }),
    select: (id) => state$.selected.set(id),
    swap(a, b) {
      const rows = state$.rows.peek().slice()
      ;[rows[a], rows[b]] = [rows[b]!, rows[a]!]
      state$.rows.set(rows)
    },
    remove: (index) => void state$.rows.splice(index, 1),
    append: (rows) => void state$.rows.push(...rows),
    clear: () => state$.rows.set([]),
  },
  Number(new URLSearchParams(location.search).get('n')),
)
