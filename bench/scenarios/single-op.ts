import jsonpatch from 'fast-json-patch'
import { applyPatches } from 'immer'
import { applyPatch as mstApply, types } from 'mobx-state-tree'
import { applyPatch, createStore } from 'patchdb'
import { applyPatch as rfcApply } from 'rfc6902'
import { Ledger, makeDoc, valuePaths, type RowsDoc } from '../data'
import { PathCopyStore } from '../floor'
import { timingTable } from '../format'
import { timeAlternately, timingOptions, type Contender } from '../measure'
import { configureImmer } from '../peers'
import { speedTarget } from '../targets'
import type { Scenario } from '../types'

const Row = types.model({ id: types.number, label: types.string, value: types.number })
const Doc = types.model({ rows: types.array(Row) })

/** Each contender: a document of n rows, `run` replaces one row's value (no watchers). */
function contenders(n: number): Contender[] {
  const paths = valuePaths(n)
  const make = (name: string, build: () => { write(row: number, value: number): void; valueOf(row: number): number }): Contender => {
    const ledger = new Ledger(n)
    const c = build()
    return {
      name,
      run() {
        const { row, value } = ledger.next()
        c.write(row, value)
      },
      check: () => ledger.check(name, c.valueOf, false),
    }
  }
  const immutable = (write: (doc: RowsDoc, row: number, value: number) => RowsDoc) => () => {
    let doc = makeDoc(n)
    return { write: (row: number, value: number) => void (doc = write(doc, row, value)), valueOf: (row: number) => doc.rows[row]!.value }
  }
  const inPlace = (write: (doc: RowsDoc, row: number, value: number) => void) => () => {
    const doc = makeDoc(n)
    return { write: (row: number, value: number) => write(doc, row, value), valueOf: (row: number) => doc.rows[row]!.value }
  }
  return [
    make('patchdb store.apply', () => {
      const store = createStore<RowsDoc>({ value: makeDoc(n) })
      return {
        write: (row, value) => void store.apply([{ op: 'replace', path: paths[row]!, value }]),
        valueOf: (row) => store.get().rows[row]!.value,
      }
    }),
    make('patchdb applyPatch (no store)', immutable((doc, row, value) => applyPatch(doc, [{ op: 'replace', path: paths[row]!, value }]).value)),
    make('path-copy', () => {
      const store = new PathCopyStore(makeDoc(n))
      return { write: (row, value) => store.replace(paths[row]!, value), valueOf: (row) => (store.doc as RowsDoc).rows[row]!.value }
    }),
    make('Immer applyPatches', immutable((doc, row, value) => applyPatches(doc, [{ op: 'replace', path: ['rows', row, 'value'], value }]))),
    make('fast-json-patch in place', inPlace((doc, row, value) => void jsonpatch.applyPatch(doc, [{ op: 'replace', path: paths[row]!, value }], false, true))),
    make('fast-json-patch immutable', immutable((doc, row, value) => jsonpatch.applyPatch(doc, [{ op: 'replace', path: paths[row]!, value }], false, false).newDocument)),
    make('rfc6902 (in place)', inPlace((doc, row, value) => void rfcApply(doc, [{ op: 'replace', path: paths[row]!, value }]))),
    make('MobX-State-Tree applyPatch', () => {
      const tree = Doc.create(makeDoc(n))
      return { write: (row, value) => mstApply(tree, { op: 'replace', path: paths[row]!, value }), valueOf: (row) => tree.rows[row]!.value }
    }),
  ]
}

export const singleOp: Scenario = {
  id: 2,
  title: 'Single operation on a large document',
  async run({ quick }) {
    configureImmer()
    const n = quick ? 1_000 : 10_000
    const list = contenders(n)
    const timings = await timeAlternately(list, timingOptions(quick))
    const me = 'patchdb store.apply'
    return {
      id: 2,
      title: this.title,
      status: 'done',
      note: `${n.toLocaleString('en')} rows, one replace of /rows/k/value per op, no watchers`,
      tables: [timingTable(`${n} rows, one replace per op`, timings, me)],
      checked: list.map((c) => c.name),
      targets: [speedTarget('>= 100x faster than Immer applyPatches', timings, me, 'Immer applyPatches', 100)],
    }
  },
}
