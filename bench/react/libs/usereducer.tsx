import { memo, useReducer, type ActionDispatch, type ReactNode } from 'react'
import { RowView, startPage } from '../page'
import { updatedLabel, type Row } from '../protocol'

// No library: the state in the top component, rows passed down as props to memoised rows.
interface State {
  rows: Row[]
  selected: number | null
}
type Action =
  | { type: 'update' }
  | { type: 'select'; id: number }
  | { type: 'swap'; a: number; b: number }
  | { type: 'remove'; index: number }
  | { type: 'append'; rows: Row[] }
  | { type: 'clear' }

function reducer(s: State, a: Action): State {
  switch (a.type) {
    case 'update':
      return { ...s, rows: s.rows.map((r, i) => (i % 10 === 0 ? updatedLabel(r) : r)) }
    case 'select':
      return { ...s, selected: a.id }
    case 'swap': {
      const rows = s.rows.slice()
      ;[rows[a.a], rows[a.b]] = [rows[a.b]!, rows[a.a]!]
      return { ...s, rows }
    }
    case 'remove':
      return { ...s, rows: s.rows.filter((_, i) => i !== a.index) }
    case 'append':
      return { ...s, rows: [...s.rows, ...a.rows] }
    case 'clear':
      return { ...s, rows: [] }
  }
}

let initial: State
let dispatch: ActionDispatch<[Action]>

const RowItem = memo(function RowItem({ row, selected }: { row: Row; selected: boolean }) {
  return <RowView id={row.id} label={row.label} selected={selected} />
})

function App(): ReactNode {
  const [s, d] = useReducer(reducer, initial)
  dispatch = d
  return s.rows.map((r) => <RowItem key={r.id} row={r} selected={r.id === s.selected} />)
}

startPage(
  {
    init: (rows) => void (initial = { rows, selected: null }),
    App,
    updateEvery10th: () => dispatch({ type: 'update' }),
    select: (id) => dispatch({ type: 'select', id }),
    swap: (a, b) => dispatch({ type: 'swap', a, b }),
    remove: (index) => dispatch({ type: 'remove', index }),
    append: (rows) => dispatch({ type: 'append', rows }),
    clear: () => dispatch({ type: 'clear' }),
  },
  Number(new URLSearchParams(location.search).get('n')),
)
