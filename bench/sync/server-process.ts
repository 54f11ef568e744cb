import { WebSocketServer, type WebSocket } from 'ws'
import { createStore } from 'patchdb'
import { createSyncServer } from 'patchdb/server'

/*
 * The server side of scenario 13, in a process of its own so that its CPU and memory are
 * its own: `patchdb` (createSyncServer over a core store) or `floor` (a raw ws server that
 * broadcasts the same bytes patchdb would send, with no protocol, grants or backpressure).
 * Driven over IPC by bench/scenarios/sync.ts.
 */

type Command = { cmd: 'memory' } | { cmd: 'write'; rate: number; count: number } | { cmd: 'clients' }
const mode = process.argv[2] as 'patchdb' | 'floor'
const send = (m: unknown) => process.send!(m)
const now = () => performance.timeOrigin + performance.now()

let write: (value: number) => void
let clients: () => number

if (mode === 'patchdb') {
  const store = createStore({ value: { t: 0 } }, { history: 100, freeze: false })
  const server = createSyncServer({ store, limits: { heartbeat: 600_000 } })
  const { port } = await server.listen({ port: 0 })
  write = (t) => void store.apply([{ op: 'replace', path: '/t', value: t }])
  clients = () => server.stats().live
  send({ port })
} else {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false, clientTracking: false })
  const sockets = new Set<WebSocket>()
  wss.on('connection', (ws) => {
    sockets.add(ws)
    ws.on('close', () => sockets.delete(ws))
    ws.on('error', () => {})
  })
  await new Promise((r) => wss.once('listening', r))
  let id = 1
  write = (t) => {
    const data = Buffer.from(JSON.stringify({ type: 'revision', id: ++id, patch: [{ op: 'replace', path: '/t', value: t }] }))
    for (const ws of sockets) ws.send(data, { binary: false })
  }
  clients = () => sockets.size
  send({ port: (wss.address() as { port: number }).port })
}

process.on('message', async (m: Command) => {
  if (m.cmd === 'memory') {
    for (let i = 0; i < 3; i++) global.gc?.()
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage()
    send({ rss, heapUsed, external, arrayBuffers })
  } else if (m.cmd === 'clients') {
    send({ clients: clients() })
  } else if (m.cmd === 'write') {
    // `rate` revisions per second, issued in 1 ms steps so that each carries its send time.
    const cpu = process.cpuUsage()
    const t0 = performance.now()
    let done = 0
    await new Promise<void>((resolve) => {
      const step = () => {
        const due = Math.min(m.count, Math.floor(((performance.now() - t0) * m.rate) / 1000))
        while (done < due) {
          write(now())
          done++
        }
        if (done >= m.count) resolve()
        else setTimeout(step, 1)
      }
      step()
    })
    // Let the sockets drain before CPU is read: sending is part of the cost.
    await new Promise((r) => setTimeout(r, 200))
    const used = process.cpuUsage(cpu)
    send({ cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - t0, revisions: done })
  }
})
