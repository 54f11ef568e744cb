import { applyPatch, createStore, extendStore, type JsonValue, type LogEntry, type Patch, type Revision, type Store } from 'patchdb'
import { acquire, lockManager, type Release } from './election'
import { CorruptionError, WriterChangedError } from './errors'
import { openDatabase, readRaw } from './idb'
import { parseMessage, wire, type Message, type WireError } from './messages'
import { fromWire, toWire } from './wire-errors'
import { DEFAULT_COMPACT, DEFAULT_LIMITS, type BrowserLimits, type BrowserStoreOptions } from './options'
import { Persister } from './persister'
import { checkState, type PersistedState } from './records'

export type Role = 'writer' | 'follower'

/** The core store API, persisted in IndexedDB and shared by the tabs of an origin. */
export interface BrowserStore<T = JsonValue> extends Store<T> {
  readonly name: string
  /** 'writer' in the one tab that writes IndexedDB; 'follower' in the others. */
  readonly role: Role
  /** Called when this tab becomes the writer. Returns unsubscribe. */
  onRoleChange(fn: (role: Role) => void): () => void
  /**
   * Applies a patch and resolves with its revision once it is durable and visible in this
   * tab (null when it changed nothing); rejects with the writer's PatchError. On a
   * follower, `apply`/`set`/`transact` forward the patch and return null at once; the
   * revision arrives from the writer a moment later, and this is the way to await it.
   */
  submit(patch: Patch): Promise<Revision | null>
  /** Resolves when everything applied so far in this tab is durable; rejects with a write error or a refused forwarded patch. */
  flush(): Promise<void>
  /** Writes a snapshot and empties the log (a follower asks the writer). */
  compact(): Promise<void>
  /** Flushes, hands the writer role on, and closes the database. Idempotent. */
  close(): Promise<void>
  /** With `salvage`: the log records dropped on open, or null. */
  readonly salvaged: { count: number; reason: string } | null
}

interface Pending {
  req: number
  patch: Patch
  /** The writer it was sent to; null while no writer is known. */
  to: string | null
  resolve(r: Revision | null): void
  reject(e: unknown): void
}

/** Thrown from beforeCommit to take a follower's patch without committing it. */
const CAPTURED = Symbol('captured')

/**
 * Opens (or creates) the IndexedDB database `name` as a store. One tab at a time is the
 * writer (Web Locks); the others follow its revisions over BroadcastChannel and forward
 * their patches to it. When the writer tab closes, a waiting tab takes over.
 */
export async function openBrowserStore<T = JsonValue>(name: string, options: BrowserStoreOptions<T> = {}): Promise<BrowserStore<T>> {
  const tab = new Tab<T>(name, options)
  await tab.open()
  return tab.facade()
}

class Tab<T> {
  private readonly id = crypto.randomUUID()
  private readonly limits: BrowserLimits
  private db!: IDBDatabase
  private channel!: BroadcastChannel
  private inner!: Store<T>
  private role: Role = 'follower'
  /** What beforeCommit does: persist (writer), let through (following), or capture (follower write). */
  private mode: 'write' | 'follow' | 'capture' = 'follow'
  private captured: Patch | null = null
  private persister: Persister | null = null
  private release: Release | null = null
  private readonly waiting = new AbortController()
  private writer: string | null = null
  private salvaged: PersistedState['dropped'] = null
  private failure: unknown = null
  private closing: Promise<void> | null = null
  private channelClosed = false
  private reloading: Promise<void> | null = null
  private buffer: Revision[] = []
  private nextReq = 0
  private readonly pending = new Map<number, Pending>()
  /** Confirmed revisions a follower waits to see before resolving `submit`. */
  private waits: { revision: Revision; resolve(r: Revision): void }[] = []
  /** Forwarded patches in flight (followers), and remote submits being served (writer). */
  private readonly inFlight = new Set<Promise<unknown>>()
  private errors: unknown[] = []
  private readonly roleListeners = new Set<(role: Role) => void>()

  constructor(
    readonly name: string,
    private readonly options: BrowserStoreOptions<T>,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits }
  }

  async open(): Promise<void> {
    const factory = (globalThis as { indexedDB?: IDBFactory }).indexedDB
    if (!factory) throw new Error('patchdb/browser needs IndexedDB (globalThis.indexedDB)')
    const locks = lockManager()
    this.db = await openDatabase(factory, this.name)
    this.db.onversionchange = () => {
      this.db.close()
      this.fail(new Error(`patchdb/browser: database '${this.name}' was deleted or upgraded by another tab`))
    }
    try {
      // Listen before reading, so no revision falls between the read and the first message.
      this.channel = new BroadcastChannel(`patchdb:${this.name}`)
      this.channel.onmessage = (e: MessageEvent) => this.receive(e.data)
      this.reloading = this.load()
      await this.reloading
      this.reloading = null
      const release = await acquire(locks, `patchdb:${this.name}`, { ifAvailable: true })
      if (release) await this.takeOver(release)
      else {
        this.follow(this.buffer.splice(0))
        this.post({ t: 'who' })
        acquire(locks, `patchdb:${this.name}`, { signal: this.waiting.signal }).then(
          (r) => r && this.takeOver(r).catch(() => {}), // a failed takeover is recorded by fail()
          () => {}, // aborted by close()
        )
      }
    } catch (e) {
      this.channel?.close()
      this.db.close()
      throw e
    }
  }

  /** First read: the store is built from the snapshot, then the log is replayed. */
  private async load(): Promise<void> {
    const state = await this.read()
    const init = state.snapshot ?? { value: (this.options.value ?? {}) as T }
    try {
      this.inner = createStore<T>(init as { id?: number; value: T }, {
        history: this.options.history,
        freeze: this.options.freeze,
        beforeCommit: (entry, value) => this.beforeCommit(entry, value),
      })
    } catch (e) {
      throw new CorruptionError(this.name, 'snapshot', 'the document is not plain JSON', { cause: e })
    }
    this.salvaged = this.restore({ ...state, snapshot: null, records: this.replayInBulk(state.records) }, false)
  }

  /**
   * Replaying revision by revision records history for each (and copies each changed
   * node each time); only the last `history` revisions need that. The ones before are
   * applied as one patch, which is what makes opening a long log fast. Returns the rest.
   */
  private replayInBulk(records: Revision[]): Revision[] {
    const bulk = records.slice(0, Math.max(0, records.length - (this.options.history ?? 100)))
    if (bulk.length === 0) return records
    try {
      const { value } = applyPatch(this.inner.get(), ...bulk.map((r) => r.patch))
      this.withMode('follow', () => this.inner.update({ id: bulk[bulk.length - 1]!.id, value: value as T }))
      return records.slice(bulk.length)
    } catch {
      return records // a bad record: the one-by-one replay names it
    }
  }

  private async read(): Promise<PersistedState> {
    // One record over the limit is read so that "too many" is detected, not truncated.
    const raw = await readRaw(this.db, this.limits.records + 1)
    return checkState(raw, this.name, this.limits, this.options.salvage === true)
  }

  /** Brings the in-memory store up to a state read from IndexedDB; returns what salvage dropped. */
  private restore(state: PersistedState, force: boolean): PersistedState['dropped'] {
    const { snapshot } = state
    let dropped = state.dropped
    this.withMode('follow', () => {
      if (snapshot && (snapshot.id > this.inner.revision || (force && snapshot.id === this.inner.revision))) {
        try {
          this.inner.update({ id: snapshot.id, value: snapshot.value as T })
        } catch (e) {
          throw new CorruptionError(this.name, 'snapshot', 'the document is not plain JSON', { cause: e })
        }
      }
      for (let i = 0; i < state.records.length; i++) {
        const record = state.records[i]!
        if (record.id <= this.inner.revision) continue
        try {
          const r = this.inner.update(record)
          if (r.status !== 'applied') throw new Error(`revision ${record.id} does not follow ${this.inner.revision}`)
        } catch (e) {
          const error = new CorruptionError(this.name, `log/${record.id}`, e instanceof Error ? e.message : String(e), { cause: e })
          if (this.options.salvage !== true) throw error
          dropped = { count: (dropped?.count ?? 0) + state.records.length - i, reason: error.message }
          break
        }
      }
    })
    this.settle()
    return dropped
  }

  private beforeCommit(entry: LogEntry, value: unknown): void {
    if (this.mode === 'write') this.persister!.enqueue(entry, value)
    else if (this.mode === 'capture') {
      this.captured = entry.patch
      throw CAPTURED
    }
  }

  private withMode<R>(mode: Tab<T>['mode'], fn: () => R): R {
    const before = this.mode
    this.mode = mode
    try {
      return fn()
    } finally {
      this.mode = before
    }
  }

  /** Runs a write against the current document without committing it: its patch, or null. */
  private capture(write: () => unknown): Patch | null {
    this.captured = null
    try {
      this.withMode('capture', write)
    } catch (e) {
      if (e !== CAPTURED) throw e
    }
    return this.captured
  }

  // ---- roles ----

  private async takeOver(release: Release): Promise<void> {
    if (this.closing) {
      // The writer our patches went to is gone, and this tab will not take over.
      this.rejectPending((p) => p.to !== null, () => new WriterChangedError('the writer tab closed before confirming this patch; it may or may not be applied'))
      return release()
    }
    this.release = release
    try {
      await this.reloading
      // Followers only ever saw durable revisions, so IndexedDB is at or past this tab.
      const state = await this.read()
      const dropped = this.restore(state, false)
      this.buffer = []
      this.persister = new Persister(
        {
          db: this.db,
          name: this.name,
          durability: this.options.durability ?? 'strict',
          compact: { ...DEFAULT_COMPACT, ...this.options.compact },
          limits: this.limits,
          onDurable: (revs, reload, revision) =>
            this.post(reload ? { t: 'reload', writer: this.id, revision } : { t: 'revs', writer: this.id, revs }),
        },
        { id: this.inner.revision, value: this.inner.get(), records: state.records.length, bytes: state.bytes },
      )
      this.mode = 'write'
      this.role = 'writer'
      // A new database gets its first snapshot; a salvaged one drops its bad records.
      if (!state.snapshot || dropped) await this.persister.compact()
      this.newWriter(this.id)
      this.post({ t: 'hello', writer: this.id, revision: this.inner.revision })
      for (const fn of this.roleListeners) fn('writer')
    } catch (e) {
      // Leave the lock to another tab: this one cannot write.
      this.fail(e)
      this.mode = 'follow'
      this.role = 'follower'
      this.release = null
      release()
      throw e
    }
  }

  /** Patches sent to an earlier writer can no longer be confirmed; unsent ones go to the new one. */
  private newWriter(writer: string): void {
    this.writer = writer
    this.rejectPending((p) => p.to !== null && p.to !== writer, () => new WriterChangedError('the writer tab changed before confirming this patch; it may or may not be applied'))
    for (const p of this.pending.values()) if (p.to === null) this.dispatch(p)
  }

  private rejectPending(which: (p: Pending) => boolean, error: () => Error): void {
    for (const p of [...this.pending.values()]) {
      if (!which(p)) continue
      this.pending.delete(p.req)
      p.reject(error())
    }
  }

  // ---- messages ----

  private post(m: Message): void {
    if (!this.channelClosed) this.channel.postMessage(wire(m))
  }

  private receive(data: unknown): void {
    const m = parseMessage(data, this.limits)
    if (!m || this.failure) return
    const writing = this.role === 'writer'
    switch (m.t) {
      case 'who':
        if (writing) this.post({ t: 'hello', writer: this.id, revision: this.inner.revision })
        break
      case 'hello':
        if (writing) break
        this.newWriter(m.writer)
        if (!this.reloading && m.revision > this.inner.revision) void this.reload(false)
        break
      case 'bye':
        if (m.writer !== this.writer) break
        this.newWriter('')
        this.writer = null
        break
      // Revisions count only from the writer that said hello; others are noise or stale.
      case 'revs':
        if (!writing && m.writer === this.writer) this.follow(m.revs)
        break
      case 'reload':
        if (!writing && m.writer === this.writer) void this.reload(true)
        break
      case 'submit':
        if (writing && m.to === this.id && !this.closing) this.serve(m.from, m.req, m.patch)
        break
      case 'compact':
        if (writing && m.to === this.id) this.persister!.compact().catch(() => {})
        break
      case 'result':
        if (m.to === this.id) this.answered(m.req, m.revision, m.error)
        break
    }
  }

  /** Writer: applies a follower's patch and answers once it is durable (after the revs message). */
  private serve(from: string, req: number, patch: Patch): void {
    const served = this.local(patch).then(
      (revision) => this.post({ t: 'result', to: from, req, revision, error: null }),
      (e) => this.post({ t: 'result', to: from, req, revision: null, error: toWire(e) }),
    )
    this.track(served)
  }

  private async local(patch: Patch): Promise<Revision | null> {
    const revision = this.inner.apply(patch)
    if (revision) await this.persister!.durable(revision.id)
    return revision
  }

  /** Follower: applies the writer's revisions in order; a gap or a bad one means re-read IndexedDB. */
  private follow(revs: Revision[]): void {
    if (revs.length === 0) return
    if (this.reloading) {
      this.buffer.push(...revs)
      return
    }
    try {
      const r = this.withMode('follow', () => this.inner.update(revs))
      if (r.status === 'gap') void this.reload(false)
    } catch {
      void this.reload(false)
    }
    this.settle()
  }

  private reload(force: boolean): Promise<void> {
    this.reloading ??= (async () => {
      try {
        this.restore(await this.read(), force)
      } catch (e) {
        this.fail(e)
      } finally {
        this.reloading = null
      }
      this.follow(this.buffer.splice(0))
    })()
    return this.reloading
  }

  private answered(req: number, revision: Revision | null, error: WireError | null): void {
    const p = this.pending.get(req)
    if (!p) return
    this.pending.delete(req)
    if (error) return p.reject(fromWire(error))
    if (!revision) return p.resolve(null)
    this.waits.push({ revision, resolve: p.resolve })
    // Confirmed but not seen: the revs message was lost or refused.
    if (revision.id > this.inner.revision && !this.reloading) void this.reload(false)
    this.settle()
  }

  /** Resolves submits whose revision this tab now has. */
  private settle(): void {
    if (this.waits.length === 0) return
    const revision = this.inner.revision
    const ready = this.waits.filter((w) => w.revision.id <= revision)
    this.waits = this.waits.filter((w) => w.revision.id > revision)
    for (const w of ready) w.resolve(w.revision)
  }

  // ---- writes ----

  private usable(): void {
    if (this.closing) throw new Error(`patchdb/browser: store '${this.name}' is closed`)
    if (this.failure) throw this.failure
  }

  /** apply/set/transact: direct on the writer; on a follower, forwarded and null at once. */
  private write(run: () => Revision | null): Revision | null {
    this.usable()
    if (this.role === 'writer') return run()
    const patch = this.capture(run)
    if (patch) this.track(this.forward(patch))
    return null
  }

  private async submit(patch: Patch): Promise<Revision | null> {
    this.usable()
    if (this.role === 'writer') return this.local(patch)
    const captured = this.capture(() => this.inner.apply(patch))
    return captured ? this.forward(captured) : null
  }

  private forward(patch: Patch): Promise<Revision | null> {
    return new Promise((resolve, reject) => {
      const p: Pending = { req: ++this.nextReq, patch, to: null, resolve, reject }
      this.pending.set(p.req, p)
      this.dispatch(p)
    })
  }

  private dispatch(p: Pending): void {
    if (this.role === 'writer') {
      this.pending.delete(p.req)
      this.local(p.patch).then(p.resolve, p.reject)
    } else if (this.writer) {
      p.to = this.writer
      this.post({ t: 'submit', from: this.id, to: p.to, req: p.req, patch: p.patch })
    }
  }

  /** Keeps a promise for flush(); its error is reported by the next flush. */
  private track(promise: Promise<unknown>): void {
    const tracked = promise.catch((e) => void this.errors.push(e)).finally(() => this.inFlight.delete(tracked))
    this.inFlight.add(tracked)
  }

  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight)
    if (this.persister) await this.persister.flush()
    if (this.failure) throw this.failure
    const [error] = this.errors
    this.errors = []
    if (error !== undefined) throw error
  }

  async compact(): Promise<void> {
    this.usable()
    if (this.persister) return this.persister.compact()
    if (this.writer) this.post({ t: 'compact', to: this.writer })
  }

  private fail(e: unknown): void {
    this.failure ??= e
  }

  close(): Promise<void> {
    const closed = () => new Error(`patchdb/browser: store '${this.name}' closed before a writer confirmed the patch`)
    this.closing ??= (async () => {
      // Patches no writer has received yet would wait for this very tab to take over.
      this.rejectPending((p) => p.to === null, closed)
      await this.flush().catch(() => {})
      if (this.role === 'writer') this.post({ t: 'bye', writer: this.id })
      this.waiting.abort()
      this.release?.()
      this.channelClosed = true
      this.channel.close()
      this.db.close()
      this.rejectPending(() => true, closed)
    })()
    return this.closing
  }

  facade(): BrowserStore<T> {
    const inner = this.inner as unknown as Store
    const tab = this
    const facade = extendStore(inner, {
      name: this.name,
      get role() {
        return tab.role
      },
      get salvaged() {
        return tab.salvaged
      },
      apply: (patch: Patch) => this.write(() => inner.apply(patch)),
      set: (path: string, value: JsonValue) => this.write(() => inner.set(path, value)),
      transact: (fn: Parameters<Store['transact']>[0]) => this.write(() => inner.transact(fn)),
      update: (updates: Parameters<Store['update']>[0]) => {
        this.usable()
        if (this.role === 'writer') return inner.update(updates)
        throw new Error('patchdb/browser: update() works in the writer tab only (see role); the others follow it')
      },
      onRoleChange: (fn: (role: Role) => void) => {
        this.roleListeners.add(fn)
        return () => void this.roleListeners.delete(fn)
      },
      submit: (patch: Patch) => this.submit(patch),
      flush: () => this.flush(),
      compact: () => this.compact(),
      close: () => this.close(),
    })
    return facade as unknown as BrowserStore<T>
  }
}
