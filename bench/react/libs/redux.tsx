import { configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import { memo, type ReactNode } from 'react'
import { Provider, shallowEqual, useSelector } from 'react-redux'
import { RowView, startPage } from '../page'
import type { Row } from '../protocol'

const slice = createSlice({
  name: 'rows',
  initialState: { rows: [] as Row[], selected: null as number | null },
  reducers: {
    init: (s, a: PayloadAction<Row[]>) => void ((s.rows = a.payload), (s.selected = null)),
    updateEvery10th: (s) => {
      for (let i = 0; i < s.rows.length; i += 10) s.rows[i]!.label += ' !!!'
    },
    select: (s, a: PayloadAction<number>) => void (s.selected = a.payload),
    swap: (s, a: PayloadAction<[number, number]>) => {
      const [x, y] = a.payload
      const tmp = s.rows[x]!
      s.rows[x] = s.rows[y]!
      s.rows[y] = tmp
    },
    remove: (s, a: PayloadAction<number>) => void s.rows.splice(a.payload, 1),
    append: (s, a: PayloadAction<Row[]>) => void s.rows.push(...a.payload),
    clear: (s) => void (s.rows = []),
  },
})
const store = configureStore({ reducer: slice.reducer })
type State = ReturnType<typeof store.getState>

const RowItem = memo(function RowItem({ index }: { index: number }) {
  const row = useSelector((s: State) => s.rows[index]!)
  const selected = useSelector((s: State) => s.selected === row.id)
  return <RowView id={row.id} label={row.label} selected={selected} />
})

function List(): ReactNode {
  const ids = useSelector((s: State) => s.rows.map((r) => r.id), shallowEqual)
  return ids.map((id, i) => <RowItem key={id} index={i} />)
}

startPage(
  {
    init: (rows) => void store.dispatch(slice.actions.init(rows)),
    App: () => (
      <Provider store={store}>
        <List />
      </Provider>
    ),
    updateEvery10th: () => void store.dispatch(slice.actions.updateEvery10th()),
    select: (id) => void store.dispatch(slice.actions.select(id)),
    swap: (a, b) => void store.dispatch(slice.actions.swap([a, b])),
    remove: (index) => void store.dispatch(slice.actions.remove(index)),
    append: (rows) => void store.dispatch(slice.actions.append(rows)),
    clear: () => void store.dispatch(slice.actions.clear()),
  },
  Number(new URLSearchParams(location.search).get('n')),
)
