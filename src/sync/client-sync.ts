import { applyPatch, createStore, extendStore, PatchError, diff, type JsonValue, type LogEntry, type Operation, type Patch, type Store, type StoreOptions } from 'patchdb'
import { checkBackoff, type BackoffOptions } from './client-backoff'
import { Connection } from './client-connection'
import { SyncError } from './client-errors'
import { ReorderBuffer } from './client-order'
import { rebasePending } from './client-pending'
import type { SocketConstructor } from './client-socket'
import { SyncState, type SyncSnapshot } from './client-state'
import { SYNC_STATUS, type StatusSource, type SyncStatus } from './client-status'
import { CLOSE, ProtocolError, PROTOCOL_VERSION, type ClientMessage, type Encoding, type Hello, type Limits, type ServerMessage, type Welcome } from './protocol'

export interface ConnectOptions {
  /** Sent as the `token` query parameter, for the server's `authenticate`. */
  token?: string
  /**
   * A store that keeps the client's state (its server revision and document, and its
   * pending writes): a `patchdb/browser` store makes pending writes survive a reload, a
   * `patchdb/node` store a restart. Give it to one client only. Default: memory.
   */
  local?: Store<JsonValue>
  /** The WebSocket class. Default: the global one, else the `ws` package. */
  WebSocket?: SocketConstructor
  /** Frames in JSON text (default) or CBOR binary. */
  encoding?: Encoding
  backoff?: BackoffOptions
  /** Most local writes waiting for the server; past it a write is refused (`QUEUE_FULL`). Default 10,000. */
  maxPending?: number
  /** Largest frame taken from the server, in bytes or characters. Default 64 MiB. */
  maxFrame?: number
  /** How long a gap in the server's revisions may stay open before the client asks for a resend, ms. Default 1,000. */
  gapTimeout?: number
  /** How long to wait for `welcome` after the socket opens, ms. Default 10,000. */
  timeout?: number
  /** Options of the client's store (history, freeze, onError). */
  store?: Pick<StoreOptions, 'history' | 'freeze' | 'onError'>
}

/** What `client.lease()` resolves to. */
export interface LeaseGrant {
  readonly path: string
  /** When the lease ends, ms since the epoch (the server's clock). */
  readonly expires: number
  /** Ends the lease early. */
  release(): Promise<void>
}

export type SyncEvent = 'status' | 'rejected'

/** A request that is not a mutation (lease, release): numbered like one, answered once. */
interface Request {
  readonly n: number
  readonly message: ClientMessage
  resolve(ack: { id: number; expires?: number }): void
  reject(error: SyncError): void
}

interface Waiter {
  readonly upTo: number
  resolve(): void
  reject(error: Error): void
}

/** Most server operations kept to rebase pending writes over (a long catch-up): past it, a diff. */
const MAX_SINCE = 100_000

const DEFAULT_LIMITS: Limits = { maxFrame: 1 << 20, maxOps: 10_000, maxMessages: 100, heartbeat: 15_000, maxLeaseTtl: 60_000 }

/** The client's side of the sync protocol: see docs/protocol.md, "Client behaviour". */
export class SyncClient<T> implements StatusSource {
  readonly store: Store<T>
  readonly ready: Promise<void>
  readonly #inner: Store<JsonValue>
  readonly #state: SyncState
  readonly #options: ConnectOptions
  readonly #maxPending: number
  /** The server state the store's view was last built on (the pending mutations sit on it). */
  #viewBase: JsonValue
  /**
   * The server's patches since #viewBase, in order (the rebase transforms pending writes over
   * them), or null after a dump or past MAX_SINCE operations (then over the diff of the two).
   */
  #since: Operation[] | null = []
  /** Mutation number → the revision that holds it, for acknowledged mutations still pending. */
  readonly #acked = new Map<number, number>()
  /** Ids of the store's revisions that came from the server (the last few: see isRemote). */
  readonly #remote = new Set<number>()
  /** Mutations and requests sent on this connection. */
  readonly #sent = new Set<number>()
  readonly #requests = new Map<number, Request>()
  readonly #waiters = new Set<Waiter>()
  readonly #listeners = { status: new Set<() => void>(), rejected: new Set<(e: SyncError) => void>() }
  #order: ReorderBuffer<{ id: number; patch: Patch }>
  readonly #connection: Connection
  #limits: Limits = DEFAULT_LIMITS
  /** The connection's phase: saying hello, catching up to `target`, or live. */
  #phase: { kind: 'hello' } | { kind: 'catch-up'; target: number; server: string; grants: string[]; dumped: boolean } | { kind: 'live' } = { kind: 'hello' }
  #gapTimer: ReturnType<typeof setTimeout> | null = null
  /** Next hello asks for a dump: the revisions received no longer fitted the client's base. */
  #wantDump = false
  #closed = false
  #status: SyncStatus
  #readyResolve!: () => void
  #readyReject!: (e: Error) => void

  constructor(url: string, options: ConnectOptions) {
    if (typeof url !== 'string') throw new TypeError(`connectStore takes a ws:// or wss:// URL, got ${typeof url}`)
    const parsed = new URL(url)
    if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new TypeError(`connectStore takes a ws:// or wss:// URL, got ${parsed.protocol}`)
    if (options.token !== undefined) parsed.searchParams.set('token', options.token)
    this.#options = options
    this.#maxPending = options.maxPending ?? 10_000
    const encoding = options.encoding ?? 'json'
    if (encoding !== 'json' && encoding !== 'cbor') throw new TypeError(`encoding is 'json' or 'cbor', got ${String(encoding)}`)
    const connection = { url: parsed.toString(), WebSocket: options.WebSocket, encoding, backoff: checkBackoff(options.backoff) }
    this.#connection = new Connection({ ...connection, maxFrame: options.maxFrame ?? 64 * 1024 * 1024, timeout: options.timeout ?? 10_000 }, {
      opening: () => this.#opening(),
      hello: () => this.#hello(),
      message: (m) => this.#message(m),
      closed: (error, ours) => this.#closedSocket(error, ours),
      failed: (error) => {
        this.#setStatus({ error })
        this.close()
      },
    })

    const local = options.local ?? null
    const stored = local ? SyncState.read(local) : { snapshot: null, problem: null }
    const snapshot: SyncSnapshot = stored.snapshot ?? { clientId: newClientId(), server: null, grants: null, revision: 0, base: {}, next: 1, pending: [] }
    this.#state = new SyncState(snapshot, local)
    this.#viewBase = this.#state.base
    const view = rebasePending(this.#viewBase, [], this.#viewBase, this.#state.pending, { done: () => false, sent: () => false })
    this.#inner = createStore<JsonValue>({ value: view.value as JsonValue }, { ...options.store, beforeCommit: (entry) => this.#localWrite(entry) })
    this.store = extendStore(this.#inner, {
      update(): never {
        throw new PatchError('ARGUMENT_INVALID', 'a synced store takes server revisions from its connection only: write with apply, set or transact')
      },
    }) as unknown as Store<T>
    Object.defineProperty(this.store, SYNC_STATUS, { value: this as StatusSource })
    this.#order = new ReorderBuffer(this.#state.revision, 10_000)
    this.#status = { status: 'connecting', pending: this.#state.pending.length, error: stored.problem ? new Error(`patchdb/client: the local store's sync state was not usable (${stored.problem}); starting afresh`) : null, revision: this.#state.revision }
    this.ready = new Promise<void>((resolve, reject) => {
      this.#readyResolve = resolve
      this.#readyReject = reject
    })
    this.ready.catch(() => {}) // close() before ready rejects it: not an unhandled rejection
    this.#connection.start()
  }

  // ---- public API ----

  get status(): SyncStatus {
    return this.#status
  }

  get clientId(): string {
    return this.#state.clientId
  }

  getStatus = (): SyncStatus => this.#status

  subscribeStatus = (fn: () => void): (() => void) => this.on('status', fn)

  on(event: 'status', fn: () => void): () => void
  on(event: 'rejected', fn: (error: SyncError) => void): () => void
  on(event: SyncEvent, fn: ((error: SyncError) => void) | (() => void)): () => void {
    const set = (this.#listeners as Record<string, Set<(e: SyncError) => void>>)[event]
    if (!set || !Object.hasOwn(this.#listeners, event)) throw new TypeError(`unknown event ${String(event)}: 'status' or 'rejected'`)
    if (typeof fn !== 'function') throw new TypeError(`on('${event}', fn) takes a function`)
    // A wrapper per call, so the same function added twice is removed once per unsubscribe.
    const entry = (e: SyncError) => (fn as (e: SyncError) => void)(e)
    set.add(entry)
    return () => void set.delete(entry)
  }

  synced(): Promise<void> {
    const upTo = this.#state.pending.at(-1)?.n ?? 0
    if (upTo === 0) return Promise.resolve()
    if (this.#closed) return Promise.reject(new SyncError('CLOSED', 'the client is closed: its pending writes are not sent'))
    return new Promise((resolve, reject) => this.#waiters.add({ upTo, resolve, reject }))
  }

  lease(path: string, options: { ttl: number }): Promise<LeaseGrant> {
    if (typeof path !== 'string') return Promise.reject(new TypeError('lease takes a JSON pointer'))
    const ttl = options?.ttl
    if (typeof ttl !== 'number' || !Number.isSafeInteger(ttl) || ttl <= 0) return Promise.reject(new TypeError(`lease ttl is a whole number of ms > 0, got ${String(ttl)}`))
    return this.#request((n) => ({ type: 'lease', n, path, ttl })).then(({ expires }) => ({
      path,
      expires: expires ?? Date.now() + ttl,
      release: () => this.#request((n) => ({ type: 'release', n, path })).then(() => {}),
    }))
  }

  isRemote(revision: { readonly id: number }): boolean {
    return this.#remote.has(revision.id)
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#connection.close()
    this.#gapDone()
    const closed = () => new SyncError('CLOSED', 'the client was closed before the server answered')
    for (const w of this.#waiters) w.reject(closed())
    this.#waiters.clear()
    for (const r of this.#requests.values()) r.reject(closed())
    this.#requests.clear()
    this.#readyReject(closed())
    this.#setStatus({ status: 'closed' })
  }

  // ---- local writes ----

  /** The store's beforeCommit: each local write becomes a numbered mutation (throwing refuses the write). */
  #localWrite(entry: LogEntry): void {
    if (entry.origin === 'server') {
      // A view change of the client's own (#settle). Kept for isRemote(), which is asked
      // during the revision's dispatch: the last 64 are plenty.
      this.#remote.add(entry.id)
      if (this.#remote.size > 64) this.#remote.delete(this.#remote.values().next().value!)
      return
    }
    if (this.#state.pending.length >= this.#maxPending) {
      throw new SyncError('QUEUE_FULL', `${this.#state.pending.length} writes wait for the server already (maxPending): this one is refused`)
    }
    const why = this.#unsendable(entry.patch)
    if (why) throw why
    const m = this.#state.push(entry.patch)
    if (this.#phase.kind === 'live') this.#send({ type: 'mutation', n: m.n, patch: m.patch }, m.n)
    // Listeners hear of it after the write: one of them may read or write the store.
    queueMicrotask(() => this.#setStatus({}))
  }

  /**
   * Why the server would refuse to take `patch` at all (it closes the connection on such a
   * frame, and a resend after the reconnect would be closed again), or null.
   */
  #unsendable(patch: Patch, n = 0): SyncError | null {
    const { maxOps, maxFrame } = this.#limits
    if (patch.length > maxOps) return new SyncError('TOO_MANY_OPS', `a write of ${patch.length} operations is over the server's limit of ${maxOps} per mutation`, n)
    // JSON's length bounds the frame in either encoding (CBOR is no longer); 64 for the envelope.
    const size = JSON.stringify(patch).length + 64
    if (size > maxFrame) return new SyncError('TOO_BIG', `a write of about ${size} characters is over the server's frame limit of ${maxFrame}`, n)
    return null
  }

  #request(make: (n: number) => ClientMessage): Promise<{ id: number; expires?: number }> {
    if (this.#closed) return Promise.reject(new SyncError('CLOSED', 'the client is closed'))
    const n = this.#state.reserve()
    const message = make(n)
    return new Promise((resolve, reject) => {
      this.#requests.set(n, { n, message, resolve, reject })
      if (this.#phase.kind === 'live') this.#send(message, n)
    })
  }

  // ---- the connection ----

  #opening(): void {
    this.#phase = { kind: 'hello' }
    this.#sent.clear()
    this.#setStatus({ status: 'connecting' })
  }

  /** Resumes from the client's revision, unless it has none or wants a dump. */
  #hello(): Hello {
    const resume = this.#state.server !== null && !this.#wantDump ? { server: this.#state.server, id: this.#state.revision } : undefined
    return { type: 'hello', v: PROTOCOL_VERSION, client: this.#state.clientId, ...(resume ? { resume } : {}) }
  }

  #message(message: ServerMessage): void {
    try {
      this.#receive(message)
    } catch (e) {
      if (e instanceof ProtocolError) return this.#connection.drop(e.code, e.message)
      // A message that does not fit what the client holds (a revision that does not apply
      // to its base): nothing of it was applied, and the next hello asks for a dump.
      this.#wantDump = true
      this.#connection.drop(CLOSE.MALFORMED, e instanceof Error ? e.message : String(e))
    }
  }

  /** The socket is gone: a reconnect is on its way. The server's own reason, if it gave one, is kept. */
  #closedSocket(error: Error | null, ours: boolean): void {
    this.#gapDone()
    this.#phase = { kind: 'hello' }
    this.#setStatus({ status: 'offline', ...(error && (ours || this.#status.error === null) ? { error } : {}) })
  }

  // ---- sending ----

  /** Sends on this connection; `n` marks a mutation or request as sent on it. */
  #send(message: ClientMessage, n?: number): void {
    if (n !== undefined) this.#sent.add(n)
    this.#connection.send(message)
  }

  // ---- receiving ----

  #receive(m: ServerMessage): void {
    const phase = this.#phase
    if (phase.kind === 'hello' && m.type !== 'welcome' && m.type !== 'error') {
      throw new ProtocolError(CLOSE.SEQUENCE, `a ${m.type} before welcome`)
    }
    switch (m.type) {
      case 'welcome':
        if (phase.kind !== 'hello') throw new ProtocolError(CLOSE.SEQUENCE, 'a second welcome')
        return this.#welcome(m)
      case 'dump':
        return this.#dump(m.id, m.value)
      case 'revision':
        return this.#revision(m.id, m.patch)
      case 'ack': {
        const request = this.#requests.get(m.n)
        if (request) {
          this.#requests.delete(m.n)
          return request.resolve(m)
        }
        if (!this.#state.pending.some((p) => p.n === m.n)) return // an answer to a mutation already settled
        this.#acked.set(m.n, m.id)
        if (m.id <= this.#state.revision && this.#phase.kind === 'live') this.#settle()
        return
      }
      case 'reject': {
        const error = new SyncError(m.code, `the server refused ${this.#requests.has(m.n) ? 'request' : 'mutation'} ${m.n}: ${m.message}`, m.n)
        const request = this.#requests.get(m.n)
        if (request) {
          this.#requests.delete(m.n)
          return request.reject(error)
        }
        if (!this.#state.pending.some((p) => p.n === m.n)) return
        this.#settle(new Map([[m.n, error]]))
        return
      }
      case 'heartbeat':
        // The server is at m.id: if the client is behind with nothing on its way, a revision was lost.
        if (this.#phase.kind === 'live' && m.id > this.#order.at) this.#gap(true)
        return
      case 'error':
        this.#setStatus({ error: new ProtocolError(m.code, `the server closes the connection: ${m.reason}`) })
        return
    }
  }

  #welcome(w: Welcome): void {
    this.#limits = w.limits
    // Revisions are projected on the grants: a base projected on other grants cannot take
    // them. Reconnect at once, asking for a dump (the server decides that at hello).
    const resumed = !this.#wantDump && this.#state.server !== null
    this.#wantDump = false
    if (resumed && !sameGrants(this.#state.grants, w.grants)) {
      this.#wantDump = true
      return this.#connection.drop(CLOSE.MALFORMED, 'the grants changed since the last connection: reconnecting for a dump', true)
    }
    this.#connection.welcomed(w.limits)
    if (w.server !== this.#state.server) this.#acked.clear() // numbers of another history
    // Pending mutations the server applied before (a reconnect): in its state at w.id.
    for (const m of this.#state.pending) if (m.n <= w.applied) this.#acked.set(m.n, w.id)
    this.#phase = { kind: 'catch-up', target: w.id, server: w.server, grants: w.grants, dumped: false }
    this.#order.reset(this.#state.revision)
    if (w.server === this.#state.server && w.id === this.#state.revision) this.#live()
  }

  #dump(id: number, value: JsonValue): void {
    const phase = this.#phase
    const server = phase.kind === 'catch-up' ? phase.server : this.#state.server!
    const grants = phase.kind === 'catch-up' ? phase.grants : this.#state.grants
    // Checked and copied as a store would (plain JSON, depth) before anything changes.
    const base = applyPatch<JsonValue>({}, [{ op: 'replace', path: '', value }]).value
    this.#state.reset(server, grants, id, base, this.#state.pending)
    this.#order.reset(id)
    this.#since = null // a dump: what changed is only known as a diff
    this.#gapDone()
    if (phase.kind === 'catch-up') {
      phase.dumped = true
      if (id >= phase.target) this.#live()
    } else this.#settle()
  }

  #revision(id: number, patch: Patch): void {
    const phase = this.#phase
    // A new server's revisions mean nothing before its dump (its history is not the client's).
    if (phase.kind === 'catch-up' && phase.server !== this.#state.server && !phase.dumped) {
      throw new ProtocolError(CLOSE.SEQUENCE, 'a revision of another server before its dump')
    }
    const ready = this.#order.push({ id, patch })
    for (const r of ready) {
      // Throws (nothing changed) when the revision does not apply to the client's base.
      const base = applyPatch(this.#state.base, r.patch).value
      this.#state.advance(r.id, r.patch, base, this.#state.pending)
      if (this.#since !== null) this.#since = this.#since.length + r.patch.length > MAX_SINCE ? null : this.#since.concat(r.patch)
    }
    if (this.#order.gap !== null) this.#gap(false)
    else this.#gapDone()
    if (ready.length === 0) return
    if (phase.kind === 'live') this.#settle()
    else if (phase.kind === 'catch-up' && this.#state.revision >= phase.target && (phase.server === this.#state.server || phase.dumped)) this.#live()
  }

  /** Caught up: the view is rebuilt once, and what waited is sent, in number order. */
  #live(): void {
    this.#phase = { kind: 'live' }
    this.#settle()
    // Writes made offline were checked against the last server's limits: this one's may be lower.
    const refused = new Map<number, SyncError>()
    for (const m of this.#state.pending) {
      const why = this.#acked.has(m.n) ? null : this.#unsendable(m.patch, m.n)
      if (why) refused.set(m.n, why)
    }
    if (refused.size > 0) this.#settle(refused)
    const out: { n: number; message: ClientMessage }[] = []
    for (const m of this.#state.pending) if (!this.#acked.has(m.n)) out.push({ n: m.n, message: { type: 'mutation', n: m.n, patch: m.patch } })
    for (const r of this.#requests.values()) out.push({ n: r.n, message: r.message })
    out.sort((a, b) => a.n - b.n)
    for (const o of out) this.#send(o.message, o.n)
    this.#setStatus({ status: 'online', error: null })
    this.#readyResolve()
  }

  // ---- gaps and liveness ----

  /** A gap in the revisions: ask for a resend once it has stayed open `gapTimeout` (at once when `now`). */
  #gap(now: boolean): void {
    if (this.#gapTimer !== null && !now) return
    const ask = () => {
      this.#gapTimer = null
      if (this.#phase.kind !== 'hello') this.#send({ type: 'resend', from: this.#order.at + 1 })
    }
    if (now) {
      this.#gapDone()
      ask()
    } else this.#gapTimer = setTimeout(ask, this.#options.gapTimeout ?? 1000)
  }

  #gapDone(): void {
    if (this.#gapTimer !== null) clearTimeout(this.#gapTimer)
    this.#gapTimer = null
  }

  // ---- the view ----

  /**
   * Rebuilds what the store shows from the server's state and the pending mutations
   * (dropping those done, `refused` by the server, or no longer applicable), and moves the
   * store there in one revision of origin 'server'.
   */
  #settle(refused: ReadonlyMap<number, SyncError> = new Map()): void {
    // The store's own value (valueAt: not a view devtools may be showing).
    const shown = this.#inner.valueAt(this.#inner.revision)
    const since = this.#since
    this.#since = []
    if (this.#state.pending.length === 0 && since !== null && shown === this.#viewBase) {
      // Nothing pending and the store holds the old base itself: the server's patches are
      // the change, applied as they are (no rebuild, no diff).
      if (since.length > 0) this.#inner.update({ id: this.#inner.revision + 1, patch: since })
    } else {
      const revision = this.#state.revision
      const done = (n: number) => refused.has(n) || (this.#acked.get(n) ?? Infinity) <= revision
      const r = rebasePending(this.#viewBase, since, this.#state.base, this.#state.pending, { done, sent: (n) => this.#sent.has(n) })
      for (const m of this.#state.pending) {
        if (done(m.n)) {
          this.#acked.delete(m.n)
          this.#sent.delete(m.n)
        }
      }
      this.#state.setPending(r.kept)
      // The smallest patch from what the store shows to the rebuilt view: a diff walks only
      // what is not shared, and the two share all that neither the server nor a pending write touched.
      const ops = diff(shown, r.value as JsonValue)
      if (ops.length > 0) this.#inner.update({ id: this.#inner.revision + 1, patch: ops })
      for (const e of refused.values()) this.#rejected(e)
      for (const d of r.dropped) this.#rejected(new SyncError('CONFLICT', `mutation ${d.mutation.n} is dropped: ${d.reason}`, d.mutation.n))
    }
    this.#viewBase = this.#state.base
    if (this.#state.pending.length === 0) {
      // The store now holds the base: keep its (frozen, shared) nodes as the base, so that the
      // next revision's patch applies to them and the fast path above holds.
      this.#viewBase = this.#inner.valueAt(this.#inner.revision) as JsonValue
      this.#state.share(this.#viewBase)
    }
    this.#setStatus({})
  }

  /** A listener that throws neither stops the others nor the client: its error goes to onError. */
  #call(fn: (e: SyncError) => void, arg?: SyncError): void {
    try {
      fn(arg!)
    } catch (e) {
      const onError = this.#options.store?.onError
      if (onError) onError(e, { kind: 'subscriber', revision: { id: this.#inner.revision, patch: [] } })
      else console.error(e)
    }
  }

  #rejected(error: SyncError): void {
    for (const w of this.#waiters) {
      if (w.upTo >= error.mutation) {
        this.#waiters.delete(w)
        w.reject(error)
      }
    }
    this.#setStatus({ error })
    for (const fn of this.#listeners.rejected) this.#call(fn, error)
  }

  #setStatus(change: Partial<SyncStatus>): void {
    const pending = this.#state.pending.length
    const next = { ...this.#status, ...change, pending, revision: this.#state.revision }
    const s = this.#status
    if (next.status !== s.status || next.pending !== s.pending || next.error !== s.error || next.revision !== s.revision) {
      this.#status = next
      for (const fn of this.#listeners.status) this.#call(fn)
    }
    const first = this.#state.pending[0]?.n ?? Infinity
    for (const w of this.#waiters) {
      if (w.upTo < first) {
        this.#waiters.delete(w)
        w.resolve()
      }
    }
  }
}

const sameGrants = (a: readonly string[] | null, b: readonly string[]) => a !== null && a.length === b.length && a.every((g, i) => g === b[i])

/** 128 random bits, base64url: a client id the protocol takes (CLIENT_ID). */
function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

