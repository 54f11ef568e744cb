import { createHash, randomUUID } from 'node:crypto'
import http from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { applyPatch, formatPointer, PatchError, type JsonValue, type Operation, type Store } from 'patchdb'
import { decodeFrame } from './cbor-frames'
import { CLOSE, PROTOCOL_VERSION, ProtocolError, readClientMessage, type ClientMessage, type Encoding, type Hello, type Lease, type Limits, type Mutation, type Release } from './protocol'
import { Connection, frameOf, type Frame } from './server-connection'
import { Grants } from './server-grants'
import { LogConflictError, storeLog, type Published, type RevisionLog } from './server-log'
import { clientPath, clientRecord, initialMeta, ownedByOther, readMeta, recordOp, recorded } from './server-meta'
import { DocumentSize } from './server-size'
import { planWrite, Refusal, type Rights } from './server-writes'

/** The application's rules for a principal (what `authenticate` returned). */
export interface Authorize<P> {
  /** Pointers the principal may read; `['']` is everything. Asked once per connection. */
  read(principal: P): readonly string[]
  /** Whether the principal may apply `op` (its `path`, and `from` for move and copy). Not asked for `test`. */
  write(principal: P, op: Operation): boolean
  /** Whether the principal may lease `path`. Default: `write` allows a `replace` there. */
  lease?(principal: P, path: string): boolean
}

/** The server's bounds: the protocol's `Limits`, plus what only the server needs. */
export interface ServerLimits extends Limits {
  /** Bytes a connection's socket may hold unsent before it gets a dump instead of revisions. */
  maxQueue: number
  /** Revisions sent on resume; past it a dump is cheaper. */
  maxResume: number
  /** Mutations of one connection waiting to be applied. */
  maxInFlight: number
  /**
   * Length of the whole document as JSON (what a dump holds): a write that would grow it past
   * this is refused (TOO_BIG), however small its frame. Keep it under the clients' maxFrame.
   */
  maxDocument: number
  /**
   * Connections of one principal (by `identity`) at a time; past it a new one is closed
   * (FLOOD). Only with `authenticate`: without it every connection is the same anonymous principal.
   */
  maxConnections: number
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxFrame: 1 << 20,
  maxOps: 1_000,
  maxMessages: 1_000,
  heartbeat: 30_000,
  maxLeaseTtl: 3_600_000,
  maxQueue: 512 << 10,
  maxResume: 10_000,
  maxInFlight: 1_000,
  maxDocument: 32 << 20,
  maxConnections: 1_000,
}

export interface SyncServerOptions<P> {
  /** The store to serve: a core store, or a durable `openStore` store (revisions go out once flushed). */
  store?: Store<any>
  /** Or any revision log (see RevisionLog): what several server processes would share. */
  log?: RevisionLog
  /**
   * Who is connecting, from the upgrade request and its token (query parameter `token`, or
   * `Authorization: Bearer`). null refuses the upgrade with HTTP 401. Default: everyone, as `{}`.
   */
  authenticate?(context: { request: http.IncomingMessage; token: string | null }): P | null | undefined | Promise<P | null | undefined>
  /** Default: everyone reads and writes everything. */
  authorize?: Partial<Authorize<P>>
  /**
   * Who a principal is, as a string that stays the same across its connections (a user id).
   * A client id belongs to the identity that first wrote with it: another principal's hello
   * with that id is closed (REVOKED), so it can neither take over its exactly-once record and
   * leases nor push it off. Default: the principal as JSON (give this when the principal holds
   * fields that change between connections, such as a token's expiry; principals that are not
   * JSON, with cycles or bigints, all share one identity).
   */
  identity?(principal: P): string
  limits?: Partial<ServerLimits>
  /** The top-level key of the server's bookkeeping in the document (hidden from clients). Default '$sync'. */
  meta?: string
  /** With `attach`: only upgrades to this path are taken. */
  path?: string
  /** Receives what the application's callbacks or the log threw. Default: console.error. */
  onError?(error: unknown): void
}

export interface SyncServer {
  /** Resolves once the server can take connections (its bookkeeping is durable). */
  readonly ready: Promise<void>
  /** The id of the history it serves (set once ready). */
  readonly id: string
  /** Starts an HTTP server of its own that takes WebSocket upgrades. */
  listen(options?: { port?: number; host?: string }): Promise<{ port: number; host: string }>
  /** Takes WebSocket upgrades of an existing HTTP server. */
  attach(server: http.Server): void
  /** Closes every connection (1001) and the server's own HTTP server; the store stays open. */
  close(): Promise<void>
  stats(): { connections: number; live: number; stale: number; buffered: number }
}

type Write = Mutation | Lease | Release

/**
 * A server that streams a store's revisions to WebSocket clients (docs/protocol.md): resume
 * from the log, optimistic mutations applied atomically and exactly once, per-pointer read
 * grants and write rules, leases, bounded send queues, heartbeats.
 */
export function createSyncServer<P = unknown>(options: SyncServerOptions<P>): SyncServer {
  return new Server<P>(options)
}

class Server<P> implements SyncServer {
  readonly ready: Promise<void>
  id = ''
  readonly #log: RevisionLog
  readonly #limits: ServerLimits
  readonly #meta: string
  readonly #authenticate: NonNullable<SyncServerOptions<P>['authenticate']>
  readonly #authorize: Authorize<P>
  readonly #onError: (e: unknown) => void
  readonly #identity: (principal: P) => string
  readonly #wss: WebSocketServer
  readonly #conns = new Set<Connection<P>>()
  readonly #byClient = new Map<string, Connection<P>>()
  /** Open connections per owner (hash of the principal's identity), for maxConnections. */
  readonly #perOwner = new Map<string, number>()
  readonly #authenticated: boolean
  readonly #size: DocumentSize
  /** The newest durable revision and the document at it: all that clients are ever sent. */
  #published: { id: number; value: JsonValue } = { id: 0, value: {} }
  #started = false
  /** Acks waiting for their revision to be published (ack goes first, then the revision). */
  readonly #acks = new Map<number, { conn: Connection<P>; n: number; frame: (enc: Encoding) => Frame }[]>()
  /** Dump frames of the published revision, per grants and encoding: a reconnect storm encodes each once. */
  #dumps = new Map<string, Frame>()
  /** Writes are applied one at a time, in arrival order. */
  #writes: Promise<void> = Promise.resolve()
  readonly #unfollow: () => void
  readonly #timer: NodeJS.Timeout
  #ticked = Date.now()
  readonly #own: http.Server[] = []
  #closing: Promise<void> | undefined
  readonly #path: string | undefined

  constructor(options: SyncServerOptions<P>) {
    if (!options.log && !options.store) throw new TypeError('patchdb: createSyncServer needs a store (or a log)')
    this.#log = options.log ?? storeLog(options.store!)
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits }
    this.#size = new DocumentSize(this.#limits.maxDocument)
    for (const [k, v] of Object.entries(this.#limits)) if (!Number.isSafeInteger(v) || v < 1) throw new TypeError(`patchdb: limits.${k} must be a whole number >= 1, got ${v}`)
    this.#meta = options.meta ?? '$sync'
    if (this.#meta === '' || this.#meta === '__proto__') throw new TypeError(`patchdb: meta must name a top-level key, got '${this.#meta}'`)
    this.#authenticate = options.authenticate ?? (() => ({}) as P)
    this.#authenticated = options.authenticate !== undefined
    const read = options.authorize?.read ?? (() => [''])
    const write = options.authorize?.write ?? (() => true)
    this.#authorize = { read, write, lease: options.authorize?.lease ?? ((p, path) => write(p, { op: 'replace', path, value: null })) }
    this.#onError = options.onError ?? ((e) => console.error('patchdb server:', e))
    this.#identity = options.identity ?? jsonIdentity
    this.#path = options.path
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: this.#limits.maxFrame, clientTracking: false, perMessageDeflate: false })
    this.#unfollow = this.#log.follow((entry) => this.#publish(entry), (e) => this.#fail(e))
    this.#timer = setInterval(() => {
      try {
        this.#tick()
      } catch (e) {
        this.#onError(e)
      }
    }, this.#limits.heartbeat)
    this.#timer.unref()
    this.ready = this.#start()
    this.ready.catch(() => {}) // reported to whoever awaits it (listen, upgrades)
  }

  /** Writes the bookkeeping of a new history, then waits until it is durable. */
  async #start(): Promise<void> {
    let doc = this.#log.read()
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new TypeError('patchdb: a synced document must be an object at the root (the server keeps its bookkeeping in one key)')
    if (Object.prototype.hasOwnProperty.call(doc, this.#meta) && !readMeta(doc, this.#meta)) {
      throw new TypeError(`patchdb: the document's key '${this.#meta}' is not the sync server's bookkeeping; choose another with the meta option`)
    }
    if (!readMeta(doc, this.#meta)) await this.#log.append(this.#log.head(), [{ op: 'add', path: formatPointer([this.#meta]), value: initialMeta(randomUUID()) as unknown as JsonValue }])
    const head = this.#log.head()
    await this.#log.durable()
    doc = this.#log.valueAt(head)!
    this.#published = { id: head, value: doc }
    this.id = readMeta(doc, this.#meta)!.server
    this.#started = true
  }

  listen(options: { port?: number; host?: string } = {}): Promise<{ port: number; host: string }> {
    const server = http.createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('patchdb sync: connect with a WebSocket\n')
    })
    this.#own.push(server)
    this.attach(server)
    return this.ready.then(
      () =>
        new Promise((resolve, reject) => {
          server.once('error', reject)
          server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
            const address = server.address() as { port: number; address: string }
            resolve({ port: address.port, host: address.address })
          })
        }),
    )
  }

  attach(server: http.Server): void {
    server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.#path !== undefined && new URL(request.url ?? '/', 'http://x').pathname !== this.#path) return
      void this.#upgrade(request, socket, head)
    })
  }

  async #upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy())
    let principal: P | null | undefined = null
    try {
      await this.ready
      principal = await this.#authenticate({ request, token: tokenOf(request) })
    } catch (e) {
      this.#onError(e)
    }
    if (this.#closing || socket.destroyed) return void socket.destroy()
    if (principal === null || principal === undefined) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#connect(ws, principal as P))
  }

  #connect(ws: WebSocket, principal: P): void {
    const conn = new Connection<P>(ws, principal, this.#limits.maxMessages, Date.now())
    this.#conns.add(conn)
    ws.on('message', (data: Buffer, binary: boolean) => this.#guard(conn, () => this.#message(conn, data, binary)))
    ws.on('pong', () => {
      conn.seen = Date.now()
    })
    ws.on('error', () => {}) // ws closes the socket itself (1009 for an oversized frame, 1002, 1007)
    ws.on('close', () => this.#drop(conn))
    try {
      conn.owner = createHash('sha256').update(String(this.#identity(principal))).digest('base64url').slice(0, 22)
    } catch (e) {
      this.#onError(e)
      return conn.close(CLOSE.SERVER_ERROR, 'identifying the principal failed')
    }
    const count = (this.#perOwner.get(conn.owner) ?? 0) + 1
    this.#perOwner.set(conn.owner, count)
    if (this.#authenticated && count > this.#limits.maxConnections) conn.close(CLOSE.FLOOD, `more than ${this.#limits.maxConnections} connections of this principal`)
  }

  /** Runs `fn` for `conn`: what it throws is reported and ends that connection, never the process. */
  #guard(conn: Connection<P>, fn: () => void): void {
    try {
      fn()
    } catch (e) {
      this.#onError(e)
      conn.close(CLOSE.SERVER_ERROR, 'the server failed on this message')
    }
  }

  #drop(conn: Connection<P>): void {
    conn.closed = true
    conn.live = false
    this.#conns.delete(conn)
    if (this.#byClient.get(conn.client) === conn) this.#byClient.delete(conn.client)
    const count = this.#perOwner.get(conn.owner)
    if (count !== undefined) {
      if (count > 1) this.#perOwner.set(conn.owner, count - 1)
      else this.#perOwner.delete(conn.owner)
    }
  }

  #message(conn: Connection<P>, data: Buffer, binary: boolean): void {
    if (conn.closed) return
    if (!conn.take(Date.now())) return conn.close(CLOSE.FLOOD, `more than ${this.#limits.maxMessages} messages per second`)
    let msg: ClientMessage
    try {
      msg = readClientMessage(decodeFrame(binary ? data : data.toString('utf8'), this.#limits.maxFrame), this.#limits)
    } catch (e) {
      return conn.close(e instanceof ProtocolError ? e.code : CLOSE.MALFORMED, e instanceof Error ? e.message : 'malformed')
    }
    if ((msg.type === 'hello') === (conn.client !== '')) return conn.close(CLOSE.SEQUENCE, msg.type === 'hello' ? 'a second hello' : 'the first message must be hello')
    // Each write and resend is answered: a client that sends them but never reads would have
    // the answers buffered without end (revisions are bounded by maxQueue; dumps by the document).
    if (msg.type !== 'hello' && msg.type !== 'heartbeat' && conn.ws.bufferedAmount > 2 * this.#limits.maxQueue + conn.dumped) {
      return conn.close(CLOSE.FLOOD, 'the client sends but does not read what the server sends')
    }
    switch (msg.type) {
      case 'hello':
        return this.#hello(conn, msg, binary ? 'cbor' : 'json')
      case 'mutation':
      case 'lease':
      case 'release':
        if (++conn.inFlight > this.#limits.maxInFlight) return conn.close(CLOSE.FLOOD, `more than ${this.#limits.maxInFlight} writes waiting`)
        this.#writes = this.#writes.then(() => this.#write(conn, msg)).catch((e) => this.#onError(e))
        return
      case 'resend':
        return this.#catchUp(conn, msg.from - 1)
      case 'heartbeat':
        return
    }
  }

  #hello(conn: Connection<P>, msg: Hello, encoding: Encoding): void {
    conn.client = msg.client
    conn.encoding = encoding
    try {
      conn.grants = new Grants(this.#authorize.read(conn.principal), this.#meta)
    } catch (e) {
      this.#onError(e)
      return conn.close(CLOSE.SERVER_ERROR, 'reading the grants failed')
    }
    const meta = readMeta(this.#published.value, this.#meta)
    if (!meta) throw new Error(`patchdb: the document lost the sync server's bookkeeping ('${this.#meta}')`)
    const previous = this.#byClient.get(msg.client)
    if (ownedByOther(clientRecord(meta, msg.client), conn.owner) || (previous && previous.owner !== conn.owner)) {
      return conn.close(CLOSE.REVOKED, 'this client id belongs to another principal')
    }
    if (previous) previous.close(CLOSE.REPLACED, 'another connection of this client id said hello')
    this.#byClient.set(msg.client, conn)
    const { heartbeat, maxFrame, maxOps, maxMessages, maxLeaseTtl } = this.#limits
    const applied = clientRecord(meta, msg.client)?.n ?? 0
    conn.send(frameOf({ type: 'welcome', v: PROTOCOL_VERSION, server: this.id, id: this.#published.id, applied, grants: [...conn.grants.pointers], limits: { maxFrame, maxOps, maxMessages, heartbeat, maxLeaseTtl } }, encoding))
    this.#catchUp(conn, msg.resume && msg.resume.server === this.id ? msg.resume.id : -1)
    conn.live = true
  }

  /** Brings `conn` from revision `since` to the published one: the revisions between, or a dump. */
  #catchUp(conn: Connection<P>, since: number): void {
    const { id, value } = this.#published
    const grants = conn.grants!
    if (conn.ws.bufferedAmount > this.#limits.maxQueue) {
      conn.stale = true // a dump once it drains, as for any client that fell behind
      return
    }
    const revisions = since >= 0 && since <= id && id - since <= this.#limits.maxResume ? this.#log.since(since) : null
    const base = revisions ? this.#log.valueAt(since) : undefined
    if (!revisions || base === undefined) return this.#sendDump(conn)
    let before: JsonValue = base
    const frames: Frame[] = []
    try {
      for (const r of revisions) {
        if (r.id > id) break // appended, not yet durable: it comes with the next publish
        const after: JsonValue = r.id === id ? value : applyPatch(before, r.patch).value
        frames.push(frameOf({ type: 'revision', id: r.id, patch: grants.projectPatch(r.patch, before, after) }, conn.encoding))
        before = after
      }
    } catch (e) {
      this.#onError(e)
      return this.#sendDump(conn)
    }
    // More than the queue holds (a client far behind, or asking again and again): a dump is smaller.
    if (frames.reduce((n, f) => n + f.data.length, 0) > this.#limits.maxQueue) return this.#sendDump(conn)
    for (const f of frames) conn.send(f)
    conn.at = id
    conn.stale = false
  }

  #sendDump(conn: Connection<P>): void {
    const key = `${conn.grants!.key}\u0000${conn.encoding}`
    let frame = this.#dumps.get(key)
    if (!frame) {
      frame = frameOf({ type: 'dump', id: this.#published.id, value: conn.grants!.project(this.#published.value) }, conn.encoding)
      this.#dumps.set(key, frame)
    }
    conn.send(frame)
    conn.dumped = frame.data.length
    conn.at = this.#published.id
    conn.stale = false
  }

  /** A client that fell behind has drained its socket: one dump catches it up. */
  readonly #drained = (conn: Connection<P>) => {
    if (conn.closed || !conn.stale) return
    this.#sendDump(conn)
  }

  /** A durable revision: acks of the writes it holds first, then the revision to every client, cut to its grants. */
  #publish({ revision, before, after }: Published): void {
    if (!this.#started || revision.id <= this.#published.id) return
    this.#published = { id: revision.id, value: after }
    this.#dumps = new Map()
    const acks = this.#acks.get(revision.id)
    if (acks) {
      this.#acks.delete(revision.id)
      // Only if the revision holds the record of the write: another writer may have taken the id.
      for (const a of acks) if (recorded(revision.patch, clientPath(this.#meta, a.conn.client), a.n)) a.conn.send(a.frame(a.conn.encoding))
    }
    const frames = new Map<string, Frame>()
    for (const conn of this.#conns) {
      if (!conn.live || conn.stale) continue
      const key = `${conn.grants!.key}\u0000${conn.encoding}`
      let frame = frames.get(key)
      if (!frame) {
        frame = frameOf({ type: 'revision', id: revision.id, patch: conn.grants!.projectPatch(revision.patch, before, after) }, conn.encoding)
        frames.set(key, frame)
      }
      conn.deliver(frame, this.#limits.maxQueue, this.#drained)
      conn.at = revision.id
    }
  }

  /** Applies one mutation, lease or release, at most once per client id and number. */
  async #write(conn: Connection<P>, msg: Write): Promise<void> {
    try {
      for (let attempt = 0; ; attempt++) {
        const head = this.#log.head()
        const doc = this.#log.read()
        const meta = readMeta(doc, this.#meta)
        if (!meta) throw new Error(`patchdb: the document lost the sync server's bookkeeping ('${this.#meta}')`)
        const done = clientRecord(meta, conn.client)
        if (ownedByOther(done, conn.owner)) return this.#reject(conn, msg.n, 'FORBIDDEN', 'this client id belongs to another principal')
        if (done && msg.n <= done.n) return this.#ack(conn, msg.n, done.id)
        let plan: { ops: Operation[]; expires?: number }
        try {
          plan = planWrite(msg, this.#rights(conn), meta, this.#meta, Date.now(), this.#limits.maxLeaseTtl)
        } catch (e) {
          if (e instanceof Refusal) return this.#reject(conn, msg.n, e.code, e.message)
          throw e
        }
        const ops = [...plan.ops, recordOp(this.#meta, conn.client, msg.n, head + 1, conn.owner)]
        const tooBig = this.#size.check(doc, ops)
        if (tooBig) return this.#reject(conn, msg.n, 'TOO_BIG', tooBig)
        // The ack waits for the revision (published at once by a core store, inside append).
        this.#ack(conn, msg.n, head + 1, plan.expires)
        try {
          await this.#log.append(head, ops)
          if (this.#log.head() === head + 1) this.#size.wrote(this.#log.read())
          return
        } catch (e) {
          this.#unack(head + 1, conn, msg.n)
          if (e instanceof LogConflictError && attempt < 10) continue
          if (e instanceof PatchError) return this.#reject(conn, msg.n, e.code, e.message)
          this.#onError(e)
          return this.#reject(conn, msg.n, 'UNAVAILABLE', 'the server could not write the revision')
        }
      }
    } finally {
      conn.inFlight--
    }
  }

  #rights(conn: Connection<P>): Rights {
    const { principal } = conn
    const guard = (f: () => boolean) => {
      try {
        return f() === true
      } catch (e) {
        this.#onError(e)
        return false
      }
    }
    return {
      client: conn.client,
      grants: conn.grants!,
      write: (op) => guard(() => this.#authorize.write(principal, op)),
      lease: (path) => guard(() => this.#authorize.lease!(principal, path)),
    }
  }

  #ack(conn: Connection<P>, n: number, id: number, expires?: number): void {
    const frame = (enc: Encoding) => frameOf(expires === undefined ? { type: 'ack', n, id } : { type: 'ack', n, id, expires }, enc)
    if (id <= this.#published.id) return conn.send(frame(conn.encoding))
    const waiting = this.#acks.get(id)
    if (waiting) waiting.push({ conn, n, frame })
    else this.#acks.set(id, [{ conn, n, frame }])
  }

  #unack(id: number, conn: Connection<P>, n: number): void {
    const rest = this.#acks.get(id)?.filter((a) => a.conn !== conn || a.n !== n)
    if (rest && rest.length > 0) this.#acks.set(id, rest)
    else this.#acks.delete(id)
  }

  #reject(conn: Connection<P>, n: number, code: Refusal['code'], message: string): void {
    conn.send(frameOf({ type: 'reject', n, code, message }, conn.encoding))
  }

  /** Every heartbeat: drop the silent, ping the rest, tell idle clients the server is alive. */
  #tick(): void {
    const now = Date.now()
    const limit = 2 * this.#limits.heartbeat
    // A late tick means this process stalled: pongs may sit unread in the sockets, so
    // silence proves nothing this time round.
    const punctual = now - this.#ticked < 1.5 * this.#limits.heartbeat
    this.#ticked = now
    for (const conn of this.#conns) {
      if (conn.client === '' && now - conn.opened > limit) {
        conn.close(CLOSE.SEQUENCE, 'no hello')
        continue
      }
      if (now - conn.seen > limit) {
        if (punctual) {
          conn.terminate()
          continue
        }
        conn.seen = now - this.#limits.heartbeat
      }
      if (conn.stale && conn.ws.bufferedAmount === 0) this.#drained(conn)
      if (conn.live && !conn.sent) conn.send(frameOf({ type: 'heartbeat', id: conn.at }, conn.encoding))
      conn.sent = false
      try {
        conn.ws.ping()
      } catch {
        conn.terminate()
      }
    }
  }

  /** The log failed (a flush): nothing more can be published, so every client is told and dropped. */
  #fail(e: unknown): void {
    this.#onError(e)
    for (const conn of this.#conns) conn.close(CLOSE.SERVER_ERROR, 'the server cannot make revisions durable')
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#timer)
      this.#unfollow()
      const closed = [...this.#conns].map((c) => new Promise<void>((resolve) => {
        c.ws.once('close', () => resolve())
        c.close(CLOSE.GOING_AWAY, 'the server is shutting down')
        setTimeout(() => c.terminate(), 1_000).unref()
      }))
      await Promise.all(closed)
      await Promise.all(this.#own.map((s) => new Promise<void>((resolve) => {
        s.close(() => resolve())
        s.closeAllConnections()
      })))
    })()
    return this.#closing
  }

  stats() {
    let live = 0
    let stale = 0
    let buffered = 0
    for (const c of this.#conns) {
      if (c.live) live++
      if (c.stale) stale++
      buffered += c.ws.bufferedAmount
    }
    return { connections: this.#conns.size, live, stale, buffered }
  }
}

/** The default identity: the principal as JSON, or one shared identity for those JSON cannot hold. */
function jsonIdentity(principal: unknown): string {
  try {
    return JSON.stringify(principal) ?? ''
  } catch {
    return ''
  }
}

/** The token of an upgrade: `?token=` (browsers cannot set headers on a WebSocket), or `Authorization: Bearer`. */
function tokenOf(request: http.IncomingMessage): string | null {
  const query = new URL(request.url ?? '/', 'http://x').searchParams.get('token')
  if (query !== null) return query
  const auth = request.headers.authorization
  return auth?.startsWith('Bearer ') ? auth.slice(7) : null
}
