import { createStore, type JsonValue } from 'patchdb'
import { makeRows, type Row } from '../data'
import { formatNs, formatRatio, byName } from '../format'
import { timeAlternately, timingOptions, type Contender, type Timing } from '../measure'
import type { Scenario, TargetResult } from '../types'

interface Doc {
  rows: Row[]
}

/**
 * One run: subscribe `n` watchers, commit one revision that changes every watched value,
 * unsubscribe them all (in the order they came). `shared`: all on `/rows`, as 30,000 rows
 * each calling `usePatchSelector('/rows')` would be; otherwise one per row, `/rows/i`. The
 * revision is the same in both (`/rows` replaced by a version whose every row is new), so
 * the two differ only in how the watchers are kept.
 */
function contender(n: number, shared: boolean): Contender {
  const name = `${shared ? 'one pointer' : 'distinct pointers'}, N=${n.toLocaleString('en')}`
  const versions = [makeRows(n), makeRows(n).map((r) => ({ ...r, value: 1 }))]
  const store = createStore<Doc>({ value: { rows: versions[0]! } }, { history: 0 })
  const paths = Array.from({ length: n }, (_, i) => (shared ? '/rows' : `/rows/${i}`))
  let calls = 0
  let runs = 0
  // Built once: the run measures keeping watchers, not making closures.
  const watchers = Array.from({ length: n }, () => () => void calls++)
  const stops: (() => void)[] = new Array(n)
  return {
    name,
    run() {
      runs++
      for (let i = 0; i < n; i++) stops[i] = store.watch(paths[i] as '/rows', watchers[i]!)
      store.apply([{ op: 'replace', path: '/rows', value: versions[runs % 2]! as unknown as JsonValue }])
      for (let i = 0; i < n; i++) stops[i]!()
    },
    check() {
      if (runs === 0) throw new Error(`${name}: no work was done`)
      if (calls !== runs * n) throw new Error(`${name}: ${calls} watcher calls in ${runs} runs, expected ${runs * n}`)
      const s = store.stats()
      if (s.watchers !== 0 || s.nodes !== 1) throw new Error(`${name}: ${s.watchers} watchers and ${s.nodes} trie nodes left after unsubscribing`)
      if (store.get().rows[n - 1]!.value !== runs % 2) throw new Error(`${name}: the revision was not applied`)
    },
  }
}

export const watchersOnePointer: Scenario = {
  id: 8,
  title: 'N watchers on one pointer vs on N distinct pointers',
  async run({ quick }) {
    const sizes = quick ? [1_000, 10_000] : [10_000, 100_000]
    const list = sizes.flatMap((n) => [contender(n, true), contender(n, false)])
    const timings = await timeAlternately(list, quick ? timingOptions(true) : { rounds: 5, budgetMs: 500 })
    const t = (n: number, shared: boolean) => byName(timings, list[sizes.indexOf(n) * 2 + (shared ? 0 : 1)]!.name)
    const [small, large] = sizes as [number, number]
    const growth = (shared: boolean) => t(large, shared).median / t(small, shared).median
    const ratioAt = (n: number) => t(n, true).median / t(n, false).median
    const targets: TargetResult[] = [
      ...sizes.map((n) => ({
        text: `N=${n.toLocaleString('en')}: watchers on one pointer cost no more than 1.5x watchers on distinct pointers`,
        measured: `${formatRatio(ratioAt(n))} the time of distinct pointers`,
        met: ratioAt(n) <= 1.5,
      })),
      {
        text: `both scale alike: one pointer's time grows, from N=${small.toLocaleString('en')} to ${large.toLocaleString('en')}, within 1.5x of distinct pointers' growth`,
        measured: `one pointer x${growth(true).toFixed(1)}, distinct pointers x${growth(false).toFixed(1)}`,
        met: growth(true) <= growth(false) * 1.5,
      },
    ]
    return {
      id: 8,
      title: this.title,
      status: 'done',
      note: 'each run subscribes N watchers, commits one revision that changes every watched value (N calls), and unsubscribes all N; the store stats are checked back to zero after every round',
      tables: [
        {
          title: 'subscribe N + one revision + unsubscribe N',
          columns: ['median', 'spread', 'per watcher', 'one pointer / distinct'],
          rows: timings.map((x: Timing, i) => {
            const n = sizes[i >> 1]!
            return {
              name: x.name,
              cells: [formatNs(x.median), `±${(x.spread * 50).toFixed(0)}%`, formatNs(x.median / n), i % 2 === 0 ? formatRatio(ratioAt(n)) : ''],
            }
          }),
        },
      ],
      checked: list.map((c) => c.name),
      targets,
    }
  },
}
