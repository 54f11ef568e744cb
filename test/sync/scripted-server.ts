import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

/**
 * A WebSocket server on loopback that a test scripts frame by frame: it speaks the sync
 * protocol only as far as the test says, so it can also send what a real server never
 * would (frames out of order, forged, malformed, huge).
 */
export interface ScriptedServer {
  url: string
  /** The next connection (already open), in the order clients connected. */
  connection(): Promise<Peer>
  close(): Promise<void>
}

export interface Peer {
  socket: WebSocket
  /** The token the client put in the URL. */
  token: string | null
  /** The next message the client sent, parsed (JSON text frames). */
  next(): Promise<Record<string, unknown>>
  /** The next message of this type, skipping others (heartbeats). */
  nextOf(type: string): Promise<Record<string, unknown>>
  /** Messages received and not yet taken by next(). */
  readonly queued: Record<string, unknown>[]
  send(message: unknown): void
  sendRaw(data: string | Buffer): void
  /** Resolves with the close code once the client's side closed. */
  closed: Promise<number>
}

export const LIMITS = { maxFrame: 1 << 20, maxOps: 100, maxMessages: 1000, heartbeat: 10_000, maxLeaseTtl: 60_000 }

export function welcome(fields: { server?: string; id?: number; applied?: number; grants?: string[]; limits?: Partial<typeof LIMITS> } = {}) {
  return { type: 'welcome', v: 1, server: fields.server ?? 'S1', id: fields.id ?? 0, applied: fields.applied ?? 0, grants: fields.grants ?? [''], limits: { ...LIMITS, ...fields.limits } }
}

export async function scriptedServer(): Promise<ScriptedServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  const peers: Peer[] = []
  const waiting: ((p: Peer) => void)[] = []
  wss.on('connection', (socket, request) => {
    const queued: Record<string, unknown>[] = []
    let wake: (() => void) | null = null
    socket.on('message', (data, binary) => {
      queued.push(binary ? { binary: true } : JSON.parse(String(data)))
      wake?.()
    })
    const next = async () => {
      while (queued.length === 0) await new Promise<void>((r) => (wake = r))
      return queued.shift()!
    }
    const peer: Peer = {
      socket,
      token: new URL(request.url ?? '/', 'http://x').searchParams.get('token'),
      next,
      async nextOf(type) {
        for (;;) {
          const m = await next()
          if (m.type === type) return m
        }
      },
      queued,
      send: (m) => socket.send(JSON.stringify(m)),
      sendRaw: (d) => socket.send(d),
      closed: new Promise((resolve) => socket.once('close', (code) => resolve(code))),
    }
    const w = waiting.shift()
    if (w) w(peer)
    else peers.push(peer)
  })
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    connection: () => {
      const p = peers.shift()
      return p ? Promise.resolve(p) : new Promise((resolve) => waiting.push(resolve))
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate()
        wss.close(() => resolve())
      }),
  }
}
