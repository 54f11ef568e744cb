import { WebSocket } from 'ws'
import { applyPatch, type JsonValue, type Patch } from 'patchdb'
import { decodeFrame, encodeFrame, readServerMessage, type ClientMessage, type Encoding, type ServerMessage } from 'patchdb/server'

/**
 * A client that speaks the protocol by hand over the `ws` package: what the server tests
 * drive it with, so that they see every frame. It mirrors the server's revisions into a
 * document of its own and records any revision that does not follow the one before.
 */
export class RawClient {
  readonly messages: ServerMessage[] = []
  /** Frames as they came, for checks on what was sent at all. */
  readonly raw: (string | Buffer)[] = []
  doc: JsonValue | undefined
  at = -1
  readonly gaps: string[] = []
  readonly closed: Promise<{ code: number; reason: string }>
  #waiters: { pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void; from: number }[] = []

  private constructor(
    readonly ws: WebSocket,
    readonly encoding: Encoding,
  ) {
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
    ws.on('error', () => {})
    ws.on('message', (data: Buffer, binary: boolean) => {
      this.raw.push(binary ? data : data.toString())
      const m = readServerMessage(decodeFrame(binary ? data : data.toString(), Infinity))
      this.messages.push(m)
      if (m.type === 'dump') {
        this.doc = m.value
        this.at = m.id
      } else if (m.type === 'revision') {
        if (m.id !== this.at + 1) this.gaps.push(`revision ${m.id} after ${this.at}`)
        else {
          try {
            this.doc = applyPatch(this.doc, m.patch as Patch).value as JsonValue
            this.at = m.id
          } catch (e) {
            this.gaps.push(`revision ${m.id} does not apply: ${(e as Error).message}`)
          }
        }
      }
      for (const w of [...this.#waiters]) {
        if (this.messages.length - 1 >= w.from && w.pred(m)) {
          this.#waiters.splice(this.#waiters.indexOf(w), 1)
          w.resolve(m)
        }
      }
    })
  }

  /** Connects (the upgrade only: nothing is said yet). Rejects when the upgrade is refused. */
  static open(url: string, options: { token?: string; encoding?: Encoding; headers?: Record<string, string> } = {}): Promise<RawClient> {
    const u = new URL(url)
    if (options.token !== undefined) u.searchParams.set('token', options.token)
    const ws = new WebSocket(u, { headers: options.headers })
    return new Promise((resolve, reject) => {
      const client = new RawClient(ws, options.encoding ?? 'json')
      ws.once('open', () => resolve(client))
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)))
      ws.once('error', reject)
    })
  }

  /** Connects and says hello; resolves once the welcome and the dump or catch-up revisions came. */
  static async connect(url: string, client: string, options: { token?: string; encoding?: Encoding; resume?: { server: string; id: number } } = {}): Promise<RawClient> {
    const c = await RawClient.open(url, options)
    await c.hello(client, options.resume)
    return c
  }

  async hello(client: string, resume?: { server: string; id: number }): Promise<ServerMessage & { type: 'welcome' }> {
    const welcome = this.next((m) => m.type === 'welcome')
    this.send(resume ? { type: 'hello', v: 1, client, resume } : { type: 'hello', v: 1, client })
    const w = (await welcome) as ServerMessage & { type: 'welcome' }
    await this.until(() => this.at >= w.id)
    return w
  }

  send(message: ClientMessage | Record<string, unknown>): void {
    this.ws.send(encodeFrame(message as ClientMessage, this.encoding))
  }

  /** The next message (after those already received) that matches. */
  next(pred: (m: ServerMessage) => boolean = () => true): Promise<ServerMessage> {
    return new Promise((resolve) => this.#waiters.push({ pred, resolve, from: this.messages.length }))
  }

  /** Resolves when `cond` holds, checked on every message. */
  until(cond: () => boolean): Promise<void> {
    if (cond()) return Promise.resolve()
    return new Promise((resolve) => {
      const w = { pred: () => cond(), resolve: () => resolve(), from: 0 }
      this.#waiters.push(w)
    })
  }

  /** Sends a mutation and resolves with its answer (ack or reject). */
  async mutate(n: number, patch: unknown[]): Promise<ServerMessage> {
    const answer = this.next((m) => (m.type === 'ack' || m.type === 'reject') && m.n === n)
    this.send({ type: 'mutation', n, patch })
    return answer
  }

  close(): void {
    this.ws.close()
  }
}
