import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { build } from 'esbuild'
import { WebSocket } from 'ws'
import { CACHE_DIR, packagesExternal } from '../esbuild-plugins'
import { repoRoot } from '../paths'
import type { Scenario, Table, TargetResult } from '../types'

/*
 * Scenario 13: a server streams revisions to many WebSocket clients on loopback. The server
 * runs in a process of its own (bench/sync/server-process.ts): patchdb's createSyncServer,
 * or the floor, a raw ws server broadcasting the same bytes. The clients run here. Measured:
 * delivery latency (send time carried in each revision, read by every 10th client), the
 * server's CPU per revision (its capacity: revisions per CPU-second), and the server's
 * memory per idle client (after gc, with every client connected and caught up).
 */

type Mode = 'patchdb' | 'floor'
interface Run {
  latencies: number[]
  cpuMs: number
  wallMs: number
  revisions: number
  delivered: number
  rssPerClient: number
  heapPerClient: number
}

async function buildServer(): Promise<string> {
  const outfile = join(repoRoot, CACHE_DIR, 'sync-server.mjs')
  await build({ entryPoints: [join(repoRoot, 'bench/sync/server-process.ts')], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning', plugins: [packagesExternal] })
  return outfile
}

/** One answer of the server process. */
const ask = <T>(child: ChildProcess, message?: unknown) =>
  new Promise<T>((resolve, reject) => {
    child.once('message', (m) => resolve(m as T))
    child.once('exit', (code) => reject(new Error(`the ${child.spawnargs.at(-1)} server exited (${code})`)))
    if (message !== undefined) child.send(message as object)
  })

const now = () => performance.timeOrigin + performance.now()

/** `n` clients; every 10th reads each revision's send time. Resolves once all are connected (patchdb: welcomed and dumped). */
async function connect(port: number, n: number, mode: Mode, latencies: number[], counts: Int32Array): Promise<WebSocket[]> {
  const sockets: WebSocket[] = []
  for (let start = 0; start < n; start += 100) {
    const batch = Array.from({ length: Math.min(100, n - start) }, (_, j) => {
      const i = start + j
      const ws = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false })
      sockets.push(ws)
      return new Promise<void>((resolve, reject) => {
        ws.once('error', reject)
        ws.on('message', (data: Buffer) => {
          if (data[9] === 0x72 /* '{"type":"r': a revision */) {
            counts[i]!++
            if (i % 10 === 0) latencies.push(now() - JSON.parse(data.toString()).patch[0].value)
          } else if (data[9] === 0x64 /* a dump: caught up */) resolve()
        })
        ws.once('open', () => {
          if (mode === 'floor') return resolve()
          ws.send(JSON.stringify({ type: 'hello', v: 1, client: `bench-client-${i}` }))
        })
      })
    })
    await Promise.all(batch)
  }
  return sockets
}

async function runOnce(script: string, mode: Mode, clients: number, count: number, rate: number): Promise<Run> {
  const child = fork(script, [mode], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  try {
    const { port } = await ask<{ port: number }>(child)
    const before = await ask<NodeJS.MemoryUsage>(child, { cmd: 'memory' })
    const latencies: number[] = []
    const counts = new Int32Array(clients)
    const sockets = await connect(port, clients, mode, latencies, counts)
    while ((await ask<{ clients: number }>(child, { cmd: 'clients' })).clients < clients) await new Promise((r) => setTimeout(r, 20))
    const idle = await ask<NodeJS.MemoryUsage>(child, { cmd: 'memory' })
    const { cpuMs, wallMs, revisions } = await ask<{ cpuMs: number; wallMs: number; revisions: number }>(child, { cmd: 'write', rate, count })
    // Wait for the clients to take what was sent (at most 10 s more).
    const until = Date.now() + 10_000
    while (counts.reduce((a, b) => a + b, 0) < clients * revisions && Date.now() < until) await new Promise((r) => setTimeout(r, 20))
    const delivered = counts.reduce((a, b) => a + b, 0) / (clients * revisions)
    for (const ws of sockets) ws.terminate()
    return {
      latencies,
      cpuMs,
      wallMs,
      revisions,
      delivered,
      rssPerClient: (idle.rss - before.rss) / clients,
      heapPerClient: (idle.heapUsed + idle.external - before.heapUsed - before.external) / clients,
    }
  } finally {
    child.kill()
  }
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`

export const sync: Scenario = {
  id: 13,
  title: 'Sync: 1,000 clients on loopback, one writer at 1,000 revisions/s',
  async run({ quick }) {
    const clients = quick ? 50 : 1_000
    const count = quick ? 200 : 2_000
    const rate = 1_000
    const reps = 1
    const script = await buildServer()
    const runs: Record<Mode, Run[]> = { patchdb: [], floor: [] }
    for (let r = 0; r < reps; r++) {
      for (const mode of (r % 2 === 0 ? ['floor', 'patchdb'] : ['patchdb', 'floor']) as Mode[]) {
        const t0 = Date.now()
        runs[mode].push(await runOnce(script, mode, clients, count, rate))
        if (!quick) process.stderr.write(`  scenario 13: ${mode} run ${r + 1} took ${((Date.now() - t0) / 1000).toFixed(0)} s\n`)
      }
    }
    const summary = (mode: Mode) => {
      const rs = runs[mode]
      const latencies = rs.flatMap((x) => x.latencies)
      const cpuPerRevision = Math.min(...rs.map((x) => x.cpuMs / x.revisions))
      return {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        cpuPerRevision,
        capacity: 1000 / cpuPerRevision,
        offered: Math.min(...rs.map((x) => (x.revisions / x.wallMs) * 1000)),
        delivered: Math.min(...rs.map((x) => x.delivered)),
        rss: Math.min(...rs.map((x) => x.rssPerClient)),
        heap: Math.min(...rs.map((x) => x.heapPerClient)),
      }
    }
    const p = summary('patchdb')
    const f = summary('floor')
    for (const [name, s] of [['patchdb', p], ['floor', f]] as const) {
      if (!(s.delivered > 0.99)) throw new Error(`${name}: clients got ${(s.delivered * 100).toFixed(1)}% of the revisions`)
    }
    const tables: Table[] = [
      {
        title: `${clients} clients, ${count} revisions offered at ${rate}/s (${reps} run(s) each, alternating)`,
        columns: ['latency p50', 'latency p99', 'server CPU per revision', 'capacity (revisions per CPU-second)', 'delivered'],
        rows: [
          { name: 'patchdb createSyncServer', cells: [ms(p.p50), ms(p.p99), ms(p.cpuPerRevision), Math.round(p.capacity).toLocaleString('en'), `${(p.delivered * 100).toFixed(1)}%`] },
          { name: 'raw ws broadcast (floor)', cells: [ms(f.p50), ms(f.p99), ms(f.cpuPerRevision), Math.round(f.capacity).toLocaleString('en'), `${(f.delivered * 100).toFixed(1)}%`] },
        ],
      },
      {
        title: `server memory per idle client (${clients} connected, after gc)`,
        columns: ['RSS', 'heap + external'],
        rows: [
          { name: 'patchdb createSyncServer', cells: [kB(p.rss), kB(p.heap)] },
          { name: 'raw ws server (floor)', cells: [kB(f.rss), kB(f.heap)] },
        ],
      },
    ]
    const ratio = p.cpuPerRevision / f.cpuPerRevision
    const targets: TargetResult[] = [
      { text: 'sync: 1,000 clients within 2x of raw ws broadcast throughput', measured: `${ratio.toFixed(2)}x the floor's server CPU per revision`, met: ratio <= 2 },
      { text: 'sync: under 20 kB per idle client', measured: `${kB(p.rss)} RSS, ${kB(p.heap)} heap + external`, met: p.rss < 20_000 && p.heap < 20_000 },
    ]
    return {
      id: 13,
      title: this.title,
      status: 'done',
      note: `server in a process of its own, clients in the bench process, all on one machine; latency from the send time in each revision to its arrival at every 10th client; capacity = 1 / server CPU per revision.${quick ? ' Quick mode: 50 clients.' : ''}`,
      tables,
      checked: ['patchdb createSyncServer', 'raw ws broadcast (floor)'],
      targets,
    }
  },
}

