import { atom, createStore, Provider, useAtomValue, type PrimitiveAtom } from 'jotai'
import { memo, useMemo, type ReactNode } from 'react'
import { RowView, startPage } from '../page'
import { updatedLabel, type Row } from '../protocol'

// One atom per row, and an atom holding the list of row atoms: Jotai's way to a long list.
const rowAtomsAtom = atom<PrimitiveAtom<Row>[]>([])
const selectedAtom = atom<number | null>(null)
const store = createStore()

const RowItem = memo(function RowItem({ rowAtom }: { rowAtom: PrimitiveAtom<Row> }) {
  const row = useAtomValue(rowAtom)
  const isSelected = useMemo(() => atom((get) => get(selectedAtom) === get(rowAtom).id), [rowAtom])
  return <RowView id={row.id} label={row.label} selected={useAtomValue(isSelected)} />
})

function List(): ReactNode {
  const atoms = useAtomValue(rowAtomsAtom)
  return atoms.map((a) => <RowItem key={a.toString()} rowAtom={a} />)
}

startPage(
  {
    init(rows) {
      store.set(rowAtomsAtom, rows.map((r) => atom(r)))
      store.set(selectedAtom, null)
    },
    App: () => (
      <Provider store={store}>
        <List />
      </Provider>
    ),
    updateEvery10th() {
      const atoms = store.get(rowAtomsAtom)
      for (let i = 0; i < atoms.length; i += 10) store.set(atoms[i]!, updatedLabel(store.get(atoms[i]!)))
    },
    select: (id) => store.set(selectedAtom, id),
    swap(a, b) {
      const atoms = store.get(rowAtomsAtom).slice()
      ;[atoms[a], atoms[b]] = [atoms[b]!, atoms[a]!]
      store.set(rowAtomsAtom, atoms)
    },
    remove: (index) => store.set(rowAtomsAtom, store.get(rowAtomsAtom).filter((_, i) => i !== index)),
    append: (rows) => store.set(rowAtomsAtom, [...store.get(rowAtomsAtom), ...rows.map((r) => atom(r))]),
    clear: () => store.set(rowAtomsAtom, []),
  },
  Number(new URLSearchParams(location.search).get('n')),
)
