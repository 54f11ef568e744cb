import jsonpatch, { type Operation as FjpOperation } from 'fast-json-patch'
import { produce } from 'immer'
import { createStore, type Operation } from 'patchdb'
import { makeDoc, valuePaths, type RowsDoc } from '../data'
import { timingTable } from '../format'
import { timeAlternately, timingOptions, type Contender } from '../measure'
import { configureImmer } from '../peers'
import { speedTarget } from '../targets'
import type { Scenario } from '../types'

/**
 * Each contender: `run` writes a new value into `ops` rows spread over a document of n
 * rows, as one unit (a transaction, a produce, one patch). The check: every one of those
 * rows holds the last value and every other row is untouched.
 */
function contenders(n: number, ops: number): Contender[] {
  const stride = Math.floor(n / ops)
  const paths = valuePaths(n)
  const make = (name: string, build: () => { write(value: number): void; valueOf(row: number): number }): Contender => {
    const c = build()
    let last = 0
    return {
      name,
      run: () => c.write(++last),
      check() {
        if (last === 0) throw new Error(`${name}: no work was done`)
        for (let i = 0; i < n; i++) {
          const want = i % stride === 0 && i / stride < ops ? last : 0
          if (c.valueOf(i) !== want) throw new Error(`${name}: row ${i} holds ${c.valueOf(i)}, expected ${want}`)
        }
      },
    }
  }
  const patch = (value: number): Operation[] => {
    const out: Operation[] = new Array(ops)
    for (let k = 0; k < ops; k++) out[k] = { op: 'replace', path: paths[k * stride]!, value }
    return out
  }
  return [
    make('patchdb transact (tx.apply per op)', () => {
      const store = createStore<RowsDoc>({ value: makeDoc(n) })
      return {
        write: (value) =>
          void store.transact((tx) => {
            for (let k = 0; k < ops; k++) tx.apply([{ op: 'replace', path: paths[k * stride]!, value }])
          }),
        valueOf: (row) => store.get().rows[row]!.value,
      }
    }),
    make('patchdb apply (one patch)', () => {
      const store = createStore<RowsDoc>({ value: makeDoc(n) })
      return { write: (value) => void store.apply(patch(value)), valueOf: (row) => store.get().rows[row]!.value }
    }),
    make('Immer produce', () => {
      let doc = makeDoc(n)
      return {
        write: (value) =>
          void (doc = produce(doc, (d) => {
            for (let k = 0; k < ops; k++) d.rows[k * stride]!.value = value
          })),
        valueOf: (row) => doc.rows[row]!.value,
      }
    }),
    make('fast-json-patch in place', () => {
      const doc = makeDoc(n)
      return { write: (value) => void jsonpatch.applyPatch(doc, patch(value) as FjpOperation[], false, true), valueOf: (row) => doc.rows[row]!.value }
    }),
  ]
}

export const transaction: Scenario = {
  id: 3,
  title: 'A transaction of 1,000 operations',
  async run({ quick }) {
    configureImmer()
    const n = quick ? 2_000 : 10_000
    const ops = quick ? 200 : 1_000
    const list = contenders(n, ops)
    const timings = await timeAlternately(list, timingOptions(quick))
    const me = 'patchdb transact (tx.apply per op)'
    return {
      id: 3,
      title: this.title,
      status: 'done',
      note: `${ops.toLocaleString('en')} replaces spread over ${n.toLocaleString('en')} rows, one revision per run`,
      tables: [timingTable(`${ops} operations per transaction`, timings, me)],
      checked: list.map((c) => c.name),
      targets: [speedTarget('within 3x of fast-json-patch applying in place', timings, me, 'fast-json-patch in place', 1 / 3)],
    }
  },
}
