import { createStore, type Store } from 'patchdb'
import { createInspector } from 'patchdb/devtools'
import { Ledger, makeDoc, valuePaths, type RowsDoc } from '../data'
import { timingTable } from '../format'
import { median, timeAlternately, timingOptions, type Contender, type Timing } from '../measure'
import { speedTarget } from '../targets'
import type { Scenario } from '../types'

const WITHOUT = 'patchdb, no inspector'
const WITH = 'patchdb + createInspector (limit 1000)'

/** The same store twice, one with an inspector recording every revision (entries full, so each new one folds the oldest). */
function pair(build: (withInspector: boolean) => Contender): Contender[] {
  return [build(false), build(true)]
}

function attach(store: Store<RowsDoc>, on: boolean): void {
  if (on) createInspector(store, { name: 'bench', limit: 1000 })
}

/** Fan-out: n rows, one watcher per row, one leaf replaced per run. */
function fanout(n: number): Contender[] {
  const paths = valuePaths(n)
  return pair((on) => {
    const name = on ? WITH : WITHOUT
    const ledger = new Ledger(n)
    const store = createStore<RowsDoc>({ value: makeDoc(n) })
    for (let i = 0; i < n; i++) store.watch(`/rows/${i}`, (row) => ledger.saw(i, row!.value))
    attach(store, on)
    return {
      name,
      run() {
        const { row, value } = ledger.next()
        store.apply([{ op: 'replace', path: paths[row]!, value }])
      },
      check: () => ledger.check(name, (row) => store.get().rows[row]!.value, true),
    }
  })
}

/** A transaction of `ops` replaces spread over n rows, one revision per run. */
function transaction(n: number, ops: number): Contender[] {
  const stride = Math.floor(n / ops)
  const paths = valuePaths(n)
  return pair((on) => {
    const name = on ? WITH : WITHOUT
    const store = createStore<RowsDoc>({ value: makeDoc(n) })
    attach(store, on)
    let last = 0
    return {
      name,
      run() {
        const value = ++last
        store.transact((tx) => {
          for (let k = 0; k < ops; k++) tx.apply([{ op: 'replace', path: paths[k * stride]!, value }])
        })
      },
      check() {
        if (last === 0) throw new Error(`${name}: no work was done`)
        for (let i = 0; i < n; i++) {
          const want = i % stride === 0 && i / stride < ops ? last : 0
          if (store.get().rows[i]!.value !== want) throw new Error(`${name}: row ${i} holds ${store.get().rows[i]!.value}, expected ${want}`)
        }
      },
    }
  })
}

/**
 * CPU time per op (user + system of the whole process, so the GC's helper threads count),
 * each contender in turn for batches of about `batchMs` of CPU, rotating the order. On two
 * cores shared with other work, wall time also measures the neighbours (a contender's time
 * moved 2x between runs); CPU time is what the inspector costs. Batches span several
 * young-generation GCs, so each store pays for the garbage it makes.
 */
function cpuAlternately(contenders: Contender[], rounds: number, batchMs: number): Timing[] {
  const cpuNs = (run: () => void, ops: number) => {
    const start = process.cpuUsage()
    for (let k = 0; k < ops; k++) run()
    const d = process.cpuUsage(start)
    return ((d.user + d.system) * 1000) / ops
  }
  // Ops per batch, from a warm-up of each contender.
  const ops = contenders.map((c) => Math.max(1, Math.round((batchMs * 1e6) / cpuNs(c.run, 200))))
  const perRound = contenders.map(() => [] as number[])
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < contenders.length; j++) {
      const i = (j + r) % contenders.length
      perRound[i]!.push(cpuNs(contenders[i]!.run, ops[i]!))
      contenders[i]!.check()
    }
  }
  return contenders.map((c, i) => {
    const rs = perRound[i]!
    const m = median(rs)
    return { name: c.name, median: m, spread: (Math.max(...rs) - Math.min(...rs)) / m, rounds: rs }
  })
}

export const devtoolsRecording: Scenario = {
  id: 10,
  title: 'Devtools: recording overhead of an attached inspector',
  async run({ quick }) {
    const n = quick ? 1_000 : 10_000
    const ops = quick ? 200 : 1_000
    const fan = fanout(n)
    const tx = transaction(n, ops)
    const fanTimings = await timeAlternately(fan, timingOptions(quick))
    const txTimings = await timeAlternately(tx, timingOptions(quick))
    const rounds = quick ? 2 : 21 // medians of 21: two identical stores read 0.94x-1.10x with 9
    const fanCpu = cpuAlternately(fan, rounds, quick ? 20 : 200)
    const txCpu = cpuAlternately(tx, rounds, quick ? 20 : 200)
    return {
      id: 10,
      title: this.title,
      status: 'done',
      note: 'the fan-out and transaction scenarios, each run on a store with and without an inspector (entries kept with their render attribution; older ones leave the list); wall time (mitata), then CPU time of the process',
      tables: [
        timingTable(`fan-out: ${n} rows, ${n} watchers, one replace per op`, fanTimings, WITH),
        timingTable(`${ops} operations per transaction over ${n} rows`, txTimings, WITH),
        timingTable(`CPU time per op, fan-out: ${n} rows, ${n} watchers, one replace per op`, fanCpu, WITH),
        timingTable(`CPU time per op, ${ops} operations per transaction over ${n} rows`, txCpu, WITH),
      ],
      checked: [...fan, ...tx].map((c) => c.name),
      targets: [
        speedTarget('fan-out with an inspector attached within 1.2x of without', fanTimings, WITH, WITHOUT, 1 / 1.2),
        speedTarget('a 1,000-op transaction with an inspector attached within 1.2x of without', txTimings, WITH, WITHOUT, 1 / 1.2),
        speedTarget('fan-out with an inspector attached within 1.2x of without (CPU time)', fanCpu, WITH, WITHOUT, 1 / 1.2),
        speedTarget('a 1,000-op transaction with an inspector attached within 1.2x of without (CPU time)', txCpu, WITH, WITHOUT, 1 / 1.2),
      ],
    }
  },
}
