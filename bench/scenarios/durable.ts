import { closeSync, existsSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from '../paths'
import type BetterSqlite3 from 'better-sqlite3'
import { build } from 'esbuild'
import { pathToFileURL } from 'node:url'
import { CACHE_DIR, packagesExternal } from '../esbuild-plugins'
import type { Operation } from 'patchdb'
import type { openStore } from 'patchdb/node'
import { median } from '../measure'
import type { Scenario, Table, TargetResult } from '../types'

const root = repoRoot + '/'
const NODE_ENTRY = 'src/node/index.ts'

type OpenStore = typeof openStore

const ROWS = 1_000
const initial = () => ({ rows: Array.from({ length: ROWS }, (_, i) => ({ id: i, value: 0 })) })
/** Revision i of every contender: the same one-operation patch. */
const patchOf = (i: number): Operation[] => [{ op: 'replace', path: `/rows/${i % ROWS}/value`, value: i }]

/**
 * A contender writes `count` revisions durably into `dir` and checks they are there.
 * It returns the seconds from the first write until all are durable: opening and closing
 * (creating the database, the first snapshot) are left out for every contender alike.
 */
interface Writer {
  name: string
  write(dir: string, count: number): Promise<number>
}

const sqlite = (Database: typeof BetterSqlite3, synchronous: 'FULL' | 'NORMAL'): Writer => ({
  name: `better-sqlite3 WAL, synchronous=${synchronous}`,
  async write(dir, count) {
    const db = new Database(join(dir, 'log.db'))
    db.pragma('journal_mode = WAL')
    db.pragma(`synchronous = ${synchronous}`)
    db.exec('CREATE TABLE log (id INTEGER PRIMARY KEY, patch TEXT NOT NULL)')
    const insert = db.prepare('INSERT INTO log (id, patch) VALUES (?, ?)')
    const t0 = performance.now()
    // One autocommit transaction per revision: each insert is acknowledged on its own.
    for (let i = 1; i <= count; i++) insert.run(i, JSON.stringify(patchOf(i)))
    const seconds = (performance.now() - t0) / 1000
    const n = (db.prepare('SELECT count(*) AS n FROM log').get() as { n: number }).n
    db.close()
    if (n !== count) throw new Error(`better-sqlite3 holds ${n} rows, expected ${count}`)
    return seconds
  },
})

const appendFsync = (every: boolean): Writer => ({
  name: every ? 'appendFile + fsync each (floor)' : 'appendFile, one fsync at the end (floor)',
  async write(dir, count) {
    const fd = openSync(join(dir, 'log.jsonl'), 'a')
    let bytes = 0
    const t0 = performance.now()
    for (let i = 1; i <= count; i++) {
      bytes += writeSync(fd, JSON.stringify(patchOf(i)) + '\n')
      if (every) fsyncSync(fd)
    }
    fsyncSync(fd)
    const seconds = (performance.now() - t0) / 1000
    closeSync(fd)
    if (bytes === 0) throw new Error('nothing written')
    return seconds
  },
})

const patchdb = (open: OpenStore, sync: 'always' | 'batch'): Writer => ({
  name: `patchdb sync: '${sync}'`,
  async write(dir, count) {
    const db = await open(join(dir, 'store'), { value: initial(), sync })
    const t0 = performance.now()
    for (let i = 1; i <= count; i++) db.apply(patchOf(i))
    await db.flush()
    const seconds = (performance.now() - t0) / 1000
    const revision = db.revision
    await db.close()
    if (revision !== count) throw new Error(`patchdb at revision ${revision}, expected ${count}`)
    return seconds
  },
})

/** `openStore`, compiled from src/node like the rest of the bench (see bench/build.ts), once it exists. */
async function loadOpenStore(): Promise<OpenStore | null> {
  if (!existsSync(join(root, NODE_ENTRY))) return null
  const outfile = join(root, CACHE_DIR, 'node-entry.mjs')
  await build({ entryPoints: [join(root, NODE_ENTRY)], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning', plugins: [packagesExternal] })
  const mod = (await import(pathToFileURL(outfile).href)) as { openStore: OpenStore }
  return mod.openStore
}

/** better-sqlite3 compiles from source when the bench package installs (no prebuilt binary is reachable here); where it could not, its rows wait. */
async function loadSqlite(): Promise<typeof BetterSqlite3 | string> {
  try {
    const Database = (await import('better-sqlite3')).default
    new Database(':memory:').close()
    return Database
  } catch (e) {
    return `better-sqlite3 is waiting: its native module did not load (${(e as Error).message.split('\n')[0]})`
  }
}

/** Recovery: CPU time of opening a store whose log holds `count` revisions. */
async function recovery(open: OpenStore, count: number): Promise<{ cpuMs: number; wallMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'patchdb-recovery-'))
  try {
    // No compaction on the way, so that recovery replays the whole log.
    const db = await open(join(dir, 'store'), { value: initial(), sync: 'none', compact: { maxRecords: count + 1, maxBytes: 2 ** 40 } })
    for (let i = 1; i <= count; i++) db.apply(patchOf(i))
    await db.flush()
    await db.close()
    const cpu = process.cpuUsage()
    const t0 = performance.now()
    const reopened = await open(join(dir, 'store'), { sync: 'batch' })
    const wallMs = performance.now() - t0
    const used = process.cpuUsage(cpu)
    const revision = reopened.revision
    await reopened.close()
    if (revision !== count) throw new Error(`recovered revision ${revision}, expected ${count}`)
    return { cpuMs: (used.user + used.system) / 1000, wallMs }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export const durable: Scenario = {
  id: 6,
  title: 'Durable writes and recovery',
  async run({ quick }) {
    const open = await loadOpenStore()
    const lite = await loadSqlite()
    const sqliteAs = (sync: 'FULL' | 'NORMAL') => (typeof lite === 'string' ? [] : [sqlite(lite, sync)])
    const reps = quick ? 1 : 5
    const counts = { always: quick ? 100 : 500, batch: quick ? 1_000 : 20_000 }
    const groups: { title: string; count: number; writers: Writer[] }[] = [
      {
        title: `${counts.always} revisions, each durable before the next`,
        count: counts.always,
        writers: [...(open ? [patchdb(open, 'always')] : []), ...sqliteAs('FULL'), appendFsync(true)],
      },
      {
        title: `${counts.batch} revisions, durable as a group`,
        count: counts.batch,
        writers: [...(open ? [patchdb(open, 'batch')] : []), ...sqliteAs('NORMAL'), appendFsync(false)],
      },
    ]
    const tables: Table[] = []
    const rates = new Map<string, number>()
    for (const g of groups) {
      const seconds = new Map<string, number[]>(g.writers.map((w) => [w.name, []]))
      for (let r = 0; r < reps; r++) {
        for (let j = 0; j < g.writers.length; j++) {
          const w = g.writers[(j + r) % g.writers.length]!
          const dir = mkdtempSync(join(tmpdir(), 'patchdb-durable-'))
          try {
            seconds.get(w.name)!.push(await w.write(dir, g.count))
          } finally {
            rmSync(dir, { recursive: true, force: true })
          }
        }
      }
      tables.push({
        title: g.title,
        columns: ['revisions/s (median)', 'spread'],
        rows: g.writers.map((w) => {
          const s = seconds.get(w.name)!
          const rate = g.count / median(s)
          rates.set(w.name, rate)
          return { name: w.name, cells: [Math.round(rate).toLocaleString('en'), `±${(((Math.max(...s) - Math.min(...s)) / median(s)) * 50).toFixed(0)}%`] }
        }),
      })
    }
    const targets: TargetResult[] = []
    if (open) {
      const batch = rates.get(`patchdb sync: 'batch'`)!
      const peer = rates.get('better-sqlite3 WAL, synchronous=NORMAL')
      if (peer) targets.push({ text: "sync: 'batch' >= better-sqlite3 in WAL mode", measured: `${(batch / peer).toFixed(2)}x its rate`, met: batch >= peer })
      const count = quick ? 5_000 : 100_000
      const rec = await recovery(open, count)
      tables.push({ title: `recovery of a ${count}-revision log`, columns: ['CPU', 'wall'], rows: [{ name: 'patchdb openStore', cells: [`${rec.cpuMs.toFixed(0)} ms`, `${rec.wallMs.toFixed(0)} ms`] }] })
      if (!quick) targets.push({ text: 'recovery of a 100,000-revision log in under 1 s of CPU', measured: `${rec.cpuMs.toFixed(0)} ms CPU`, met: rec.cpuMs < 1000 })
    }
    return {
      id: 6,
      title: this.title,
      status: open ? 'done' : 'waiting',
      note:
        `one-operation patches on a ${ROWS}-row document, in a temp dir on the same disk; ${reps} run(s) per contender, alternating.` +
        (typeof lite === 'string' ? ` ${lite}.` : '') +
        (open ? '' : ` patchdb is waiting: ${NODE_ENTRY} (openStore from 'patchdb/node') does not exist yet; the peers' figures are the baseline.`),
      tables,
      checked: [...rates.keys()],
      targets,
    }
  },
}
