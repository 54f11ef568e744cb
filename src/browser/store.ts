import { applyPatch, createStore, extendStore, type JsonValue, type LogEntry, type Patch, type Revision, type Store } from 'patchdb'
import { acquire, lockManager, type Release } from './election'
import { CorruptionError, LimitError, TimeoutError, WriterChangedError } from './errors'
import { openDatabase, readRaw, readTail, writeBatch } from './idb'
import { parseMessage, wire, type Message, type WireError } from './messages'
import { checkLimits, checkTimeout, DEFAULT_COMPACT, jsonLength, type BrowserLimits, type BrowserStoreOptions } from './options'
import { Outbox } from './outbox'
import { Persister } from './persister'
import { Served } from './served'
import { checkState, checkTail, checkWriter, type PersistedState } from './records'
import { startTimer } from './timer'
import { fromWire, toWire } from './wire-errors'
import { WriteLimits } from './write-limits'

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
   * tab (null when it changed nothing); rejects with the writer's PatchError or LimitError,
   * or (followers) with WriterChangedError or TimeoutError. On a follower,
   * `apply`/`set`/`transact` forward the patch and return null at once; the revision is
   * read from IndexedDB once the writer made it durable, and this is the way to await it.
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

/** Thrown from beforeCommit to take a follower's patch without committing it. */
const CAPTURED = Symbol('captured')

/**
 * Opens (or creates) the IndexedDB database `name` as a store. One tab at a time is the
 * writer (Web Locks); the others read its revisions from IndexedDB when it says (over
 * BroadcastChannel) that they are durable, and forward their patches to it. When the
 * writer tab closes, a waiting tab takes over.
 */
export async function openBrowserStore<T = JsonValue>(name: string, options: BrowserStoreOptions<T> = {}): Promise<BrowserStore<T>> {
  const tab = new Tab<T>(name, options)
  await tab.open()
  return tab.facade()
}

class Tab<T> {
  /** Random per tab: the writer's identity, which it writes into IndexedDB under its lock. */
  private readonly id = crypto.randomUUID()
  private readonly limits: BrowserLimits
  private readonly timeout: number
  private readonly writeLimits: WriteLimits
  private readonly outbox: Outbox
  private db!: IDBDatabase
  private channel!: BroadcastChannel
  private inner!: Store<T>
  private role: Role = 'follower'
  /** What beforeCommit does: persist (writer), let through (read from IndexedDB), or capture (follower write). */
  private mode: 'write' | 'follow' | 'capture' = 'follow'
  private captured: Patch | null = null
  private persister: Persister | null = null
  private release: Release | null = null
  private readonly waiting = new AbortController()
  /** The writer tab IndexedDB names: only its answers count. Never taken from a message. */
  private writer: string | null = null
  private salvaged: PersistedState['dropped'] = null
  private failure: unknown = null
  private closing: Promise<void> | null = null
  private channelClosed = false
  /** A read of IndexedDB in progress, and whether another must follow it (reads never overlap). */
  private reading: Promise<void> | null = null
  private readAgain = false
  /** Called once the store is built (a follower of a new database waits for it). */
  private built: (() => void) | null = null
  /** The highest revision a message said is durable; a read that finds less reads the whole state. */
  private wanted = 0
  /** Writer: the follower requests served, so a replayed submit is not applied twice. */
  private readonly served = new Served()
  /** Forwarded writes in flight (followers), and remote submits being served (writer). */
  private readonly inFlight = new Set<Promise<unknown>>()
  private errors: unknown[] = []
  private readonly roleListeners = new Set<(role: Role) => void>()

  constructor(
    readonly name: string,
    private readonly options: BrowserStoreOptions<T>,
  ) {
    this.limits = checkLimits(options.limits)
    this.timeout = checkTimeout(options.timeout)
    this.writeLimits = new WriteLimits(this.limits)
    this.outbox = new Outbox(this.timeout, (to, req, patch) => this.post({ t: 'submit', from: this.id, to, req, patch }))
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
      // Listen before reading, so no hint falls between the read and the first message.
      this.channel = new BroadcastChannel(`patchdb:${this.name}`)
      this.channel.onmessage = (e: MessageEvent) => this.receive(e.data)
      await this.read()
      const release = await acquire(locks, `patchdb:${this.name}`, { ifAvailable: true })
      if (release) await this.takeOver(release)
      else {
        this.post({ t: 'who' })
        acquire(locks, `patchdb:${this.name}`, { signal: this.waiting.signal }).then(
          (r) => r && this.takeOver(r).catch(() => {}), // a failed takeover is recorded by fail()
          () => {}, // aborted by close()
        )
        if (!this.inner) await this.firstSnapshot()
      }
    } catch (e) {
      this.waiting.abort()
      this.channel?.close()
      this.db.close()
      throw e
    }
  }

  // ---- reading IndexedDB: the only source of the document ----

  /** Reads IndexedDB: the whole state the first time, then what follows this tab's revision. */
  private read(): Promise<void> {
    if (this.reading) {
      this.readAgain = true
      return this.reading
    }
    const run = async () => {
      try {
        do {
          this.readAgain = false
          await (this.inner ? this.readNews() : this.load(false))
        } while (this.readAgain)
      } finally {
        this.reading = null
      }
    }
    this.reading = run()
    return this.reading
  }

  /**
   * First read: the store is built from the snapshot, then the log is replayed. A new
   * database has no snapshot: only the tab that takes the writer role (`create`) builds it,
   * from its initial value; the others wait for that snapshot, so that no tab starts from
   * an initial value of its own that differs from the database's.
   */
  private async load(create: boolean): Promise<void> {
    const state = await this.readState()
    if (!state.snapshot && !create) return
    const initial = state.snapshot ?? { id: 0, value: this.options.value ?? {}, size: jsonLength(this.options.value ?? {}) }
    if (initial.size > this.limits.snapshotBytes) {
      throw new LimitError('snapshotBytes', `patchdb/browser: the initial value is ${initial.size} long as JSON, over limits.snapshotBytes (${this.limits.snapshotBytes})`)
    }
    try {
      this.inner = createStore<T>({ id: initial.id, value: initial.value as T }, {
        history: this.options.history,
        freeze: this.options.freeze,
        onError: this.options.onError,
        beforeCommit: (entry, value) => this.beforeCommit(entry, value),
      })
    } catch (e) {
      // A bad initial value is the caller's error, as in createStore; a bad snapshot is damage.
      if (!state.snapshot) throw e
      throw new CorruptionError(this.name, 'snapshot', 'the document is not plain JSON', { cause: e })
    }
    this.salvaged = this.restore({ ...state, snapshot: null, records: this.replayInBulk(state.records) })
    this.writeLimits.reset(initial.size + state.bytes)
    this.built?.()
  }

  /** Follower of a new database: resolves once the writer wrote its first snapshot and this tab read it. */
  private firstSnapshot(): Promise<void> {
    const timeout = this.timeout
    return new Promise((resolve, reject) => {
      const cancel = startTimer(() => {
        reject(new TimeoutError(`patchdb/browser: database '${this.name}' is new and the writer tab did not write its first snapshot within ${timeout} ms`))
      }, timeout)
      this.built = () => {
        cancel()
        resolve()
      }
    })
  }

  /** What a message hinted at: the records after this tab's revision, or the whole state. */
  private async readNews(): Promise<void> {
    if (this.role === 'writer' || this.closing) return
    const after = this.inner.revision
    const claimed = this.wanted
    const raw = await readTail(this.db, after, this.limits.records + 1)
    const tail = checkTail(raw, after + 1, this.name, this.limits)
    if (tail && this.inner.revision === after && (tail.records.length > 0 || this.wanted <= after)) {
      this.restore({ snapshot: null, records: tail.records, bytes: tail.bytes, dropped: null, writer: checkWriter(raw.writer) })
    } else {
      // Compacted past this tab, or a record to doubt: the whole state says what is true.
      this.restore(await this.readState())
    }
    // A message that claimed more than IndexedDB holds was false: it causes no further reads
    // (unless another claim came during this read: the next read checks that one).
    if (this.wanted === claimed) this.wanted = Math.min(claimed, this.inner.revision)
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
      const { value } = applyPatch(this.inner.valueAt(this.inner.revision), ...bulk.map((r) => r.patch))
      this.withMode('follow', () => this.inner.update({ id: bulk[bulk.length - 1]!.id, value: value as T }))
      return records.slice(bulk.length)
    } catch {
      return records // a bad record: the one-by-one replay names it
    }
  }

  private async readState(): Promise<PersistedState> {
    // One record over the limit is read so that "too many" is detected, not truncated.
    const raw = await readRaw(this.db, this.limits.records + 1)
    return checkState(raw, this.name, this.limits, this.options.salvage === true)
  }

  /**
   * Brings the in-memory store up to a state read from IndexedDB (what it holds past this
   * tab's revision), believes the writer it names, and settles confirmed forwarded writes.
   * Returns what salvage dropped.
   */
  private restore(state: PersistedState): PersistedState['dropped'] {
    const { snapshot } = state
    let dropped = state.dropped
    this.withMode('follow', () => {
      if (snapshot && snapshot.id > this.inner.revision) {
        try {
          this.inner.update({ id: snapshot.id, value: snapshot.value as T })
        } catch (e) {
          throw new CorruptionError(this.name, 'snapshot', 'the document is not plain JSON', { cause: e })
        }
        this.writeLimits.reset(snapshot.size)
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
        this.writeLimits.grow(record.patch)
      }
    })
    this.believe(state.writer)
    this.reached()
    return dropped
  }

  /** Confirmed forwarded writes this tab now shows resolve, with the patch its log recorded. */
  private reached(): void {
    this.outbox.reached(this.inner.revision, (id) => this.inner.log(id - 1).find((e) => e.id === id)?.patch)
  }

  /** The writer is who IndexedDB says; writes sent to another one can no longer be confirmed. */
  private believe(writer: string | null): void {
    if (writer === this.writer) return
    this.writer = writer
    if (this.role === 'follower') this.outbox.writerIs(writer)
  }

  private beforeCommit(entry: LogEntry, value: unknown): void {
    if (this.mode === 'follow') return
    const { size, bound } = this.writeLimits.check(entry.patch, value)
    if (this.mode === 'capture') {
      this.captured = entry.patch
      throw CAPTURED
    }
    this.persister!.enqueue(entry, value, size)
    this.writeLimits.commit(bound)
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
      // The writer our writes went to is gone, and this tab will not take over.
      this.outbox.reject((sent) => sent, () => new WriterChangedError('patchdb/browser: the writer tab closed before confirming this write; it may or may not be applied'))
      return release()
    }
    this.release = release
    // Writes no writer received yet are this tab's to apply (taken now, before reading the
    // database could name the previous writer and send them there).
    const unsent = this.outbox.takeUnsent()
    try {
      await this.reading?.catch(() => {})
      if (!this.inner) await this.load(true)
      // Followers only ever hold what IndexedDB held, so IndexedDB is at or past this tab.
      const state = await this.readState()
      const dropped = this.restore(state)
      // A new database gets its first snapshot; a salvaged one drops its bad records.
      const rewrite = !state.snapshot || dropped !== null
      const durability = this.options.durability ?? 'strict'
      // Claimed under the lock, before any message: other tabs believe only the writer IndexedDB names.
      await writeBatch(this.db, durability, {
        records: [],
        writer: this.id,
        snapshot: rewrite ? { id: this.inner.revision, value: this.inner.valueAt(this.inner.revision) } : undefined,
      })
      this.persister = new Persister(
        {
          db: this.db,
          name: this.name,
          durability,
          compact: { ...DEFAULT_COMPACT, ...this.options.compact },
          limits: this.limits,
          onDurable: (revision) => this.post({ t: 'durable', writer: this.id, revision }),
        },
        { id: this.inner.revision, value: this.inner.valueAt(this.inner.revision), records: rewrite ? 0 : state.records.length, bytes: rewrite ? 0 : state.bytes },
      )
      this.mode = 'write'
      this.role = 'writer'
      for (const write of [...unsent, ...this.outbox.takeUnsent()]) write.settle(this.local(write.patch))
      this.outbox.writerIs(this.id)
      this.writer = this.id
      this.post({ t: 'hello', writer: this.id, revision: this.inner.revision })
      for (const fn of this.roleListeners) fn('writer')
    } catch (e) {
      // Leave the lock to another tab: this one cannot write.
      for (const write of unsent) write.settle(Promise.reject(e))
      this.fail(e)
      this.mode = 'follow'
      this.role = 'follower'
      this.release = null
      release()
      throw e
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
      // Hints: what they claim is read from IndexedDB; the writer's identity too (a hello
      // from anyone, a bye or durable from the writer IndexedDB names).
      case 'hello':
        if (!writing) this.hint(m.revision)
        break
      case 'durable':
        if (!writing && m.writer === this.writer && m.revision > (this.inner?.revision ?? -1)) this.hint(m.revision)
        break
      case 'bye':
        if (!writing && m.writer === this.writer) this.hint(0)
        break
      case 'submit':
        if (writing && m.to === this.id && !this.closing) this.serve(m.from, m.req, m.patch, m.size ?? 0)
        break
      case 'compact':
        if (writing && m.to === this.id) this.persister!.compact().catch(() => {})
        break
      case 'result':
        if (m.to === this.id) this.answered(m.from, m.req, m.revision, m.error)
        break
    }
  }

  private hint(revision: number): void {
    this.wanted = Math.max(this.wanted, revision)
    this.read().catch((e) => this.fail(e))
  }

  /** Writer: applies a follower's patch and answers once it is durable (after the durable message). */
  private serve(from: string, req: number, patch: Patch | null, size: number): void {
    if (!this.served.first(from, req)) return
    const served = (patch ? this.local(patch) : Promise.reject(this.writeLimits.tooLong('patch', size))).then(
      (revision) => this.post({ t: 'result', from: this.id, to: from, req, revision: revision?.id ?? null, error: null }),
      (e) => this.post({ t: 'result', from: this.id, to: from, req, revision: null, error: toWire(e) }),
    )
    this.track(served)
  }

  private async local(patch: Patch): Promise<Revision | null> {
    const revision = this.inner.apply(patch)
    if (revision) await this.persister!.durable(revision.id)
    return revision
  }

  private answered(from: string, req: number, revision: number | null, error: WireError | null): void {
    const confirmed = this.outbox.answered(from, req, revision, error && fromWire(error))
    if (confirmed === null) return
    // Resolved once read back from IndexedDB, so the caller sees it in this tab.
    if (confirmed > this.inner.revision) this.hint(confirmed)
    else this.reached()
  }

  // ---- writes ----

  private usable(): void {
    if (this.closing) throw new Error(`patchdb/browser: store '${this.name}' is closed`)
    if (this.failure) throw this.failure
  }

  /** apply/set/transact: direct on the writer; on a follower, checked, forwarded and null at once. */
  private write(run: () => Revision | null): Revision | null {
    this.usable()
    if (this.role === 'writer') return run()
    const patch = this.capture(run)
    if (patch) this.track(this.outbox.add(patch, this.writer))
    return null
  }

  private async submit(patch: Patch): Promise<Revision | null> {
    this.usable()
    if (this.role === 'writer') return this.local(patch)
    const captured = this.capture(() => this.inner.apply(patch))
    return captured ? this.outbox.add(captured, this.writer) : null
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
    // Forwarded writes would wait for a tab that no longer reads: they end with the cause.
    this.outbox.reject(() => true, () => (e instanceof Error ? e : new Error(String(e))))
  }

  close(): Promise<void> {
    const closed = () => new Error(`patchdb/browser: store '${this.name}' closed before a writer confirmed the write`)
    this.closing ??= (async () => {
      // Writes no writer has received yet would wait for this very tab to take over.
      this.outbox.reject((sent) => !sent, closed)
      await this.flush().catch(() => {})
      if (this.role === 'writer') {
        // Step down in IndexedDB first: followers believe a bye only once the writer is gone from there.
        await writeBatch(this.db, this.options.durability ?? 'strict', { records: [], writer: null }).catch(() => {})
        this.post({ t: 'bye', writer: this.id })
      }
      this.waiting.abort()
      this.release?.()
      this.channelClosed = true
      this.channel.close()
      this.db.close()
      this.outbox.reject(() => true, closed)
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
