import { observable as legendObservable } from '@legendapp/state'
import { atom, createStore as createJotaiStore } from 'jotai/vanilla'
import { observable as mobxObservable, reaction, runInAction } from 'mobx'
import { createStore } from 'patchdb'
import { proxy, subscribe as valtioSubscribe } from 'valtio/vanilla'
import { subscribeWithSelector } from 'zustand/middleware'
import { createStore as createZustandStore } from 'zustand/vanilla'
import { Ledger, makeDoc, makeRows, valuePaths, type Row, type RowsDoc } from '../data'
import { PathCopyStore } from '../floor'
import { timingTable } from '../format'
import { timeAlternately, timingOptions, type Contender } from '../measure'
import { speedTarget } from '../targets'
import type { Scenario } from '../types'

/** Each contender: n rows, one watcher per row, `run` writes one leaf of one row. */
function contenders(n: number): Contender[] {
  const paths = valuePaths(n)
  const rowPaths = Array.from({ length: n }, (_, i) => `/rows/${i}` as const)
  const make = (name: string, build: (l: Ledger) => { write(row: number, value: number): void; valueOf(row: number): number }): Contender => {
    const ledger = new Ledger(n)
    const c = build(ledger)
    return {
      name,
      run() {
        const { row, value } = ledger.next()
        c.write(row, value)
      },
      check: () => ledger.check(name, c.valueOf, true),
    }
  }
  return [
    make('patchdb watch', (l) => {
      const store = createStore<RowsDoc>({ value: makeDoc(n) })
      for (let i = 0; i < n; i++) store.watch(rowPaths[i]!, (row) => l.saw(i, row!.value))
      return {
        write: (row, value) => void store.apply([{ op: 'replace', path: paths[row]!, value }]),
        valueOf: (row) => store.get().rows[row]!.value,
      }
    }),
    make('path-copy + pointer map', (l) => {
      const store = new PathCopyStore(makeDoc(n))
      for (let i = 0; i < n; i++) store.listen(rowPaths[i]!, (row) => l.saw(i, (row as Row).value))
      return {
        write: (row, value) => store.replace(paths[row]!, value),
        valueOf: (row) => (store.doc as RowsDoc).rows[row]!.value,
      }
    }),
    make('Zustand selectors', (l) => {
      const store = createZustandStore<RowsDoc>()(subscribeWithSelector(() => makeDoc(n)))
      for (let i = 0; i < n; i++) store.subscribe((s) => s.rows[i]!, (row) => l.saw(i, row.value))
      return {
        write: (row, value) =>
          store.setState((s) => {
            const rows = s.rows.slice()
            rows[row] = { ...rows[row]!, value }
            return { rows }
          }),
        valueOf: (row) => store.getState().rows[row]!.value,
      }
    }),
    make('Valtio subscribe', (l) => {
      const state = proxy(makeDoc(n))
      for (let i = 0; i < n; i++) valtioSubscribe(state.rows[i]!, () => l.saw(i, state.rows[i]!.value), true)
      return {
        write: (row, value) => void (state.rows[row]!.value = value),
        valueOf: (row) => state.rows[row]!.value,
      }
    }),
    make('Legend-State onChange', (l) => {
      const state = legendObservable(makeDoc(n))
      for (let i = 0; i < n; i++) state.rows[i]!.onChange(({ value }) => l.saw(i, value.value))
      return {
        write: (row, value) => state.rows[row]!.value.set(value),
        valueOf: (row) => state.rows[row]!.value.peek(),
      }
    }),
    make('MobX reaction', (l) => {
      const state = mobxObservable(makeDoc(n))
      for (let i = 0; i < n; i++) reaction(() => state.rows[i]!.value, (v) => l.saw(i, v))
      return {
        write: (row, value) => runInAction(() => void (state.rows[row]!.value = value)),
        valueOf: (row) => state.rows[row]!.value,
      }
    }),
    make('Jotai atom per row', (l) => {
      const store = createJotaiStore()
      const atoms = makeRows(n).map((r) => atom(r))
      atoms.forEach((a, i) => store.sub(a, () => l.saw(i, store.get(a).value)))
      return {
        write: (row, value) => store.set(atoms[row]!, { ...store.get(atoms[row]!), value }),
        valueOf: (row) => store.get(atoms[row]!).value,
      }
    }),
  ]
}

export const fanout: Scenario = {
  id: 1,
  title: 'Fan-out: one leaf update, one watcher per row',
  async run({ quick }) {
    const n = quick ? 1_000 : 10_000
    const list = contenders(n)
    const timings = await timeAlternately(list, timingOptions(quick))
    const me = 'patchdb watch'
    return {
      id: 1,
      title: this.title,
      status: 'done',
      note: `${n.toLocaleString('en')} rows, ${n.toLocaleString('en')} watchers; time per update (write + notify)`,
      tables: [timingTable(`${n} rows, one replace of /rows/k/value per op`, timings, me)],
      checked: list.map((c) => c.name),
      targets: [
        speedTarget('>= 10x faster than Zustand with selector listeners', timings, me, 'Zustand selectors', 10),
        speedTarget('within 1.5x of a hand-written path-copy + pointer map', timings, me, 'path-copy + pointer map', 1 / 1.5),
        // MobX mutates in place; patchdb hands out immutable snapshots (transients: see src/core/transients.ts).
        speedTarget('within 2x of MobX, every value handed out an immutable snapshot', timings, me, 'MobX reaction', 1 / 2),
      ],
    }
  },
}
