import type { ReactNode } from 'react'
import { createIndex, createStore, type KeyedIndex, type Operation, type Store } from 'patchdb'
import { PatchProvider } from 'patchdb/react'
import { startPage } from '../page'
import type { Adapter, Row } from '../protocol'

/** The document of the patchdb pages. */
export interface Doc {
  rows: Row[]
  selected: number | null
}

/**
 * The writes of the patchdb pages, on the store the page made last. A reorder is written
 * as moves (the rows keep their objects, no value is copied), appending as one `add` at the
 * end per row, which a keyed index follows without a rescan.
 */
const writes = (store: () => Store<Doc>): Omit<Adapter, 'init' | 'App'> => ({
  updateEvery10th() {
    const rows = store().get().rows
    const patch: Operation[] = []
    for (let i = 0; i < rows.length; i += 10) patch.push({ op: 'replace', path: `/rows/${i}/label`, value: rows[i]!.label + ' !!!' })
    store().apply(patch)
  },
  select: (id) => void store().set('/selected', id),
  swap(a, b) {
    const [lo, hi] = a < b ? [a, b] : [b, a]
    store().apply([
      { op: 'move', from: `/rows/${lo}`, path: `/rows/${hi}` },
      { op: 'move', from: `/rows/${hi - 1}`, path: `/rows/${lo}` },
    ])
  },
  remove: (index) => void store().apply([{ op: 'remove', path: `/rows/${index}` }]),
  append: (rows) => void store().apply(rows.map((value) => ({ op: 'add', path: '/rows/-', value }))),
  clear: () => void store().set('/rows', []),
})

/**
 * Starts a patchdb page: `make` builds the store (and whatever the page keeps beside it)
 * from the rows, `List` renders them under a provider; `own` replaces some of the writes.
 */
export function startPatchdbPage(make: (rows: Row[]) => Store<Doc>, List: () => ReactNode, own: Partial<Adapter> = {}): void {
  let store: Store<Doc>
  startPage(
    {
      init: (rows) => void (store = make(rows)),
      App: () => (
        <PatchProvider store={store}>
          <List />
        </PatchProvider>
      ),
      ...writes(() => store),
      ...own,
    },
    Number(new URLSearchParams(location.search).get('n')),
  )
}

/** A keyed page (the README's way for lists): the rows indexed by id; `indexed` gets each new index. */
export function startKeyedPage(indexed: (rows: KeyedIndex<Readonly<Row>, number>) => void, List: () => ReactNode): void {
  startPatchdbPage((initial) => {
    const store = createStore<Doc>({ value: { rows: initial, selected: null } })
    indexed(createIndex(store, '/rows', (row) => row.id))
    return store
  }, List)
}
