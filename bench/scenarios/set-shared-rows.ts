import jsonpatch from 'fast-json-patch'
import { createStore, diff, type JsonValue, type Operation } from 'patchdb'
import { makeRows, type Row } from '../data'
import { timingTable } from '../format'
import { timeAlternately, timingOptions, type Contender } from '../measure'
import { speedTarget } from '../targets'
import type { Scenario } from '../types'

interface Doc {
  rows: Row[]
}

/** `base` and a next version that shares all but `changed` of its row objects (`===`). */
function versions(rows: number, changed: number): [Doc, Doc] {
  const base: Doc = { rows: makeRows(rows) }
  const next = base.rows.slice()
  const every = Math.floor(rows / changed)
  for (let i = 0; i < rows; i += every) next[i] = { ...next[i]!, label: `${next[i]!.label} (edited)` }
  return [base, { rows: next }]
}

/**
 * The whole document handed back with a few rows edited, as a reducer or a form would:
 * `store.set('', next)` where `next` holds the store's own row objects except the edited
 * ones. Each run alternates between the two versions and must yield a patch of exactly
 * the edited rows. `diff()` and fast-json-patch `compare` only compute that patch;
 * `set` also checks what is new, applies it, records its inverse and commits.
 */
function contenders(rows: number, changed: number): Contender[] {
  const make = (name: string, build: () => { write(): Operation[] | null; expected(): Doc; current(): Doc }): Contender => {
    const c = build()
    let runs = 0
    let last: Operation[] | null = null
    return {
      name,
      run: () => void (runs++, (last = c.write())),
      check() {
        if (runs === 0) throw new Error(`${name}: no work was done`)
        if (last?.length !== changed) throw new Error(`${name}: a patch of ${last?.length} operations, expected ${changed}`)
        for (const op of last) if (!/^\/rows\/\d+\/label$/.test(op.path) || op.op !== 'replace') throw new Error(`${name}: unexpected ${op.op} ${op.path}`)
        const cur = c.current().rows
        const want = c.expected().rows
        if (cur.length !== rows) throw new Error(`${name}: ${cur.length} rows, expected ${rows}`)
        for (let i = 0; i < rows; i++) if (cur[i]!.label !== want[i]!.label) throw new Error(`${name}: row ${i} is '${cur[i]!.label}', expected '${want[i]!.label}'`)
      },
    }
  }
  return [
    make('patchdb set', () => {
      const [base, next] = versions(rows, changed)
      const store = createStore<Doc>({ value: base }, { history: 0 })
      // The store's own rows: `next` is rebuilt from them so that it shares them, as
      // `{ ...state, rows: state.rows.map(r => r.id === id ? edit(r) : r) }` would.
      const own = store.get().rows
      const sides = [{ rows: own.slice() }, { rows: own.map((r, i) => (next.rows[i] === base.rows[i] ? r : next.rows[i]!)) }] as Doc[]
      let k = 0
      return {
        write: () => (store.set('', sides[(k = 1 - k)]! as never)?.patch as Operation[] | undefined) ?? null,
        expected: () => sides[k]!,
        current: () => store.get() as Doc,
      }
    }),
    make('patchdb diff()', () => {
      const sides = versions(rows, changed)
      let k = 0
      return {
        write: () => diff(sides[k]!, sides[(k = 1 - k)]! as unknown as JsonValue, '', []),
        expected: () => sides[k]!,
        current: () => sides[k]!,
      }
    }),
    make('fast-json-patch compare', () => {
      const sides = versions(rows, changed)
      let k = 0
      return {
        write: () => jsonpatch.compare(sides[k]!, sides[(k = 1 - k)]!) as Operation[],
        expected: () => sides[k]!,
        current: () => sides[k]!,
      }
    }),
  ]
}

export const setSharedRows: Scenario = {
  id: 9,
  title: "`set('', next)` where next shares 9,990 of 10,000 rows with the store",
  async run({ quick }) {
    const rows = quick ? 1_000 : 10_000
    const changed = 10
    const list = contenders(rows, changed)
    const timings = await timeAlternately(list, timingOptions(quick))
    return {
      id: 9,
      title: this.title,
      status: 'done',
      note: `${rows.toLocaleString('en')} rows, ${changed} of them edited; each run yields the ${changed}-operation patch (set: and commits it); diff() and compare are given the previous version, set is given only the next`,
      tables: [timingTable(`${rows.toLocaleString('en')} rows, ${rows - changed} shared`, timings, 'patchdb diff()')],
      checked: list.map((c) => c.name),
      targets: [
        speedTarget('set within 1.5x of the exported diff() (issue 8, item 10)', timings, 'patchdb set', 'patchdb diff()', 1 / 1.5),
        speedTarget('set faster than fast-json-patch compare', timings, 'patchdb set', 'fast-json-patch compare', 1),
      ],
    }
  },
}
