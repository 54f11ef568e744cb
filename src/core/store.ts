import { diff } from './diff'
import { Draft } from './draft'
import { PatchError } from './errors'
import { History, type LogEntry } from './history'
import { deepFreeze, isContainer, read, toJson, type JsonValue } from './json'
import { plan, readMessages, type UpdateResult } from './updates'
import { observable, type Observable } from './observable'
import type { Dump, Patch, Revision, Update } from './patch'
import { formatPointer, toPointer, toSegments, type Path } from './pointer'
import type { At, DocumentIn, PathOf, ReadonlyDeep, ValueAt } from './types'
import { CallList, WatchTrie, type Watcher, type WatchSite } from './watchers'
import { ListenerList } from './listeners'
import { logError, report, type ErrorHandler } from './report'
import { captureStack, clockOrigin, markTravel, now, PROBE, type StoreControl, type StoreProbe } from './probe'
import { Transients } from './transients'

/**
 * How deep writes made by watchers may nest: a watcher's write whose dispatch runs a
 * watcher that writes, and so on. Past it the write is refused (`WATCHER_LOOP`), so a
 * watcher that always writes ends with an error instead of running forever.
 */
export const MAX_NESTED_WRITES = 1000

export interface StoreOptions {
  /** How many revisions `log()` keeps with their inverse patches. Default 100. */
  history?: number
  /** Freeze values handed out. Default: on, except when NODE_ENV is 'production'. */
  freeze?: boolean
  /**
   * Called with each new revision before anyone can see it (persistence hooks in here).
   * Throwing aborts the revision: the store keeps its value, revision and log. It must
   * not write to the store (a PatchError `COMMIT_OPEN`): the revision is not yet made.
   */
  beforeCommit?: (entry: LogEntry, value: unknown) => void
  /**
   * Receives what a watcher or subscriber throws (the others still run, the revision
   * stands). Default: `console.error`, plus `reportError` where the host has one. Nothing
   * is rethrown, and an `onError` that throws is itself reported to the default.
   */
  onError?: ErrorHandler
}

export type { UpdateResult, UpdateStatus } from './updates'

/** The second argument of apply, set and transact. */
export interface WriteOptions {
  /** Names the write (an action name): kept on its log entry, shown by devtools. */
  label?: string
}

/** The third argument of watch. */
export interface WatchOptions {
  /** Names the watcher (a component) in devtools' render attribution. */
  label?: string
}

export interface Transaction<T> {
  get(): ReadonlyDeep<T>
  get<const P extends Path>(path: P & PathOf<T, P>): ReadonlyDeep<At<T, P>>
  apply(patch: Patch): void
  set<const P extends Path, V = never>(path: P & PathOf<T, P, true>, value: ValueAt<T, P, V>): void
}

export interface Store<T = JsonValue> {
  /** Id of the current state: 0 for a new store, +1 per revision. */
  readonly revision: number
  get(): ReadonlyDeep<T>
  get<const P extends Path>(path: P & PathOf<T, P>): ReadonlyDeep<At<T, P>>
  /** Applies a patch atomically; returns its revision, or null when nothing changed. */
  apply(patch: Patch, options?: WriteOptions): Revision | null
  /** Writes the smallest patch that makes the value at `path` equal `value`. */
  set<const P extends Path, V = never>(path: P & PathOf<T, P, true>, value: ValueAt<T, P, V>, options?: WriteOptions): Revision | null
  /** Several writes as one revision; if `fn` throws, nothing is applied and the error is rethrown. */
  transact(fn: (tx: Transaction<T>) => void, options?: WriteOptions): Revision | null
  /** Calls `fn` after each revision that changes the value at `path`, with the patch scoped to it. */
  watch<const P extends Path>(
    path: P & PathOf<T, P>,
    fn: (value: ReadonlyDeep<At<T, P>>, revision: Revision) => void,
    options?: WatchOptions,
  ): () => void
  /** Calls `fn` after every revision (for useSyncExternalStore). */
  subscribe(fn: (revision: Revision) => void): () => void
  dump(): Dump<ReadonlyDeep<T>>
  /** Applies server messages in order: see UpdateStatus. */
  update(updates: Update<DocumentIn<T>> | readonly Update<DocumentIn<T>>[]): UpdateResult
  /** Retained revisions, oldest first, with their inverse patches. */
  log(since?: number): readonly LogEntry[]
  /** The document as it was at a retained revision. */
  valueAt(id: number): ReadonlyDeep<T>
  /** An Observable of the value at `path`: the current value, then each change. */
  observe<const P extends Path>(path: P & PathOf<T, P>): Observable<ReadonlyDeep<At<T, P>>>
  /** Counts for leak checks and devtools. */
  stats(): { watchers: number; nodes: number; subscribers: number; history: number }
}

/**
 * Development unless NODE_ENV says production. Spelled `process.env.NODE_ENV` so that
 * bundlers replace it at build time; where nothing defines `process` (a browser without a
 * bundler), the ReferenceError means development.
 */
function defaultFreeze(): boolean {
  try {
    return process.env.NODE_ENV !== 'production'
  } catch {
    return true
  }
}

/**
 * Creates a store. `init` is `{ value }` (revision 0) or a dump `{ id, value }`, such as
 * one a server rendered; with no argument the document is `{}`.
 */
export function createStore<T = JsonValue>(init?: { value: DocumentIn<T>; id?: number }, options: StoreOptions = {}): Store<T> {
  // A read-only document is the same JSON: the store copies (and freezes) what it keeps.
  return new PatchStore<T>(init as { value: T; id?: number } | undefined, options) as unknown as Store<T>
}

type Loose = string | readonly (string | number)[]

class PatchStore<T> {
  #value: unknown
  #id: number
  #history: History
  #freeze: boolean
  #trie = new WatchTrie()
  #subscribers = new ListenerList<Revision>()
  #queue: { before: unknown; after: unknown; draft: Draft; revision: Revision; seq: number; depth: number }[] = []
  /** Commits so far: a watcher added after commit `n` hears commits from `n + 1` on. */
  #seq = 0
  #dispatching = false
  /** Nesting of the revision being dispatched: 0 for a write from outside any watcher. */
  #depth = 0
  #current: Revision | null = null
  #onError: ErrorHandler
  #inTransaction = false
  /** True while beforeCommit runs: the revision it sees is not made yet. */
  #committing = false
  /** The last revision that came from update() (or the initial id): ids above it up to #id are local writes. */
  #confirmed: number
  #options: StoreOptions
  /** Devtools attached (see probe.ts), else null: one check per commit. */
  #probe: StoreProbe | null = null
  /** The watchers each dispatch calls, for the probe: one array, refilled (dispatches do not nest). */
  readonly #calls = new CallList()
  /** What readers are shown instead of the document while devtools travel, else null. */
  #view: Dump<unknown> | null = null
  /** True while devtools write through a view. */
  #probeWrite = false
  /**
   * Nodes this store made and nobody was handed yet, which a write may change in place
   * (see transients.ts); null where values are frozen or beforeCommit sees each document.
   */
  readonly #transients: Transients | null

  constructor(init: { value: T; id?: number } | undefined, options: StoreOptions) {
    if (typeof options !== 'object' || options === null) throw invalidArgument(`createStore options must be an object, got ${describe(options)}`)
    if (options.beforeCommit !== undefined && typeof options.beforeCommit !== 'function') throw invalidArgument('beforeCommit must be a function')
    if (options.onError !== undefined && typeof options.onError !== 'function') throw invalidArgument(`onError must be a function, got ${describe(options.onError)}`)
    this.#options = options
    this.#onError = options.onError ?? logError
    if (init !== undefined && (typeof init !== 'object' || init === null || !('value' in init))) {
      throw invalidArgument(`createStore takes { value }, a dump { id, value } or nothing, got ${describe(init)}`)
    }
    const id = init?.id ?? 0
    if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`revision id must be a whole number >= 0, got ${id}`)
    this.#id = this.#confirmed = id
    this.#freeze = options.freeze ?? defaultFreeze()
    this.#transients = this.#freeze || options.beforeCommit ? null : new Transients()
    this.#history = new History(options.history ?? 100)
    this.#value = this.#own(init === undefined ? {} : init.value)
  }

  get revision(): number {
    return this.#id
  }

  get(path?: Loose): unknown {
    const doc = this.#view === null ? this.#value : this.#view.value
    if (path === undefined || path === '') {
      this.#transients?.forgetAll()
      return doc
    }
    const segs = toSegments(path)
    const value = read(doc, segs)
    if (this.#transients !== null && isContainer(value)) this.#transients.forget(segs)
    return value
  }

  apply(patch: Patch, options?: WriteOptions): Revision | null {
    const label = labelOf(options)
    this.#writable()
    const draft = this.#draft(this.#value, true)
    try {
      draft.apply(patch)
    } catch (e) {
      draft.discard()
      throw e
    }
    return this.#commit(draft, undefined, undefined, label)
  }

  set(path: Loose, value: unknown, options?: WriteOptions): Revision | null {
    const label = labelOf(options)
    this.#writable()
    const draft = this.#draft(this.#value, true)
    try {
      setIn(draft, path, value)
    } catch (e) {
      draft.discard()
      throw e
    }
    return this.#commit(draft, undefined, undefined, label)
  }

  transact(fn: (tx: Transaction<T>) => void, options?: WriteOptions): Revision | null {
    if (typeof fn !== 'function') throw invalidArgument(`transact takes a function, got ${describe(fn)}`)
    const label = labelOf(options)
    this.#writable()
    const draft = this.#draft(this.#value, false)
    let open = true
    /** Whether the function was handed an object or array: it may keep it, so none may change in place. */
    let handed = false
    const check = () => {
      if (!open) throw new PatchError('TRANSACTION_CLOSED', 'this transaction has ended')
    }
    const hand = (path?: Loose) => {
      const value = path === undefined ? draft.root : draft.get(toSegments(path))
      if (this.#transients !== null && isContainer(value)) {
        handed = true
        this.#transients.forgetAll()
      }
      return value
    }
    const tx = {
      get: (path?: Loose) => (check(), hand(path)),
      apply: (patch: Patch) => (check(), draft.apply(patch)),
      set: (path: Loose, value: unknown) => (check(), setIn(draft, path, value)),
    }
    this.#inTransaction = true
    try {
      fn(tx as unknown as Transaction<T>)
    } finally {
      open = false
      this.#inTransaction = false
    }
    const revision = this.#commit(draft, undefined, undefined, label)
    if (handed) this.#transients!.forgetAll()
    return revision
  }

  watch(path: Loose, fn: Watcher, options?: WatchOptions): () => void {
    callback(fn, 'watch')
    return this.#trie.add(toSegments(path), fn, this.#seq, labelOf(options, 'watch'))
  }

  subscribe(fn: (r: Revision) => void): () => void {
    callback(fn, 'subscribe')
    const entry = this.#subscribers.add(fn, this.#seq)
    return () => void this.#subscribers.remove(entry)
  }

  dump(): Dump<unknown> {
    this.#transients?.forgetAll()
    return this.#view ?? { id: this.#id, value: this.#value }
  }

  update(updates: Update<unknown> | readonly Update<unknown>[]): UpdateResult {
    this.#writable(false)
    const decided = plan(readMessages(updates), this.#id, this.#confirmed, this.#value)
    // Every message is applied to a draft before any is committed: one that fails throws,
    // saying which it was, and nothing of the batch is applied.
    const staged: { draft: Draft; done: ReturnType<Draft['finish']>; id: number }[] = []
    let value = this.#value
    for (const m of decided.apply) {
      const draft = this.#draft(value, false)
      try {
        draft.apply(m.patch ?? [{ op: 'replace', path: '', value: m.value as JsonValue }])
      } catch (e) {
        if (e instanceof PatchError) e.message = `update message ${m.at} (id ${m.id}): ${e.message}`
        throw e
      }
      const done = draft.finish(this.#freeze)
      staged.push({ draft, done, id: m.id })
      value = done.value
    }
    for (const { draft, done, id } of staged) {
      // A revision that changes nothing still takes its id: the server counted it.
      this.#commit(draft, id, done)
      this.#confirmed = id
    }
    const result: UpdateResult = { status: decided.status, revision: this.#id }
    if (decided.expected !== undefined) result.expected = decided.expected
    return result
  }

  log(since?: number): readonly LogEntry[] {
    if (since !== undefined && (typeof since !== 'number' || Number.isNaN(since))) throw invalidArgument(`log(since) takes a revision id, got ${describe(since)}`)
    return this.#history.entries(since)
  }

  valueAt(id: number): unknown {
    // What it returns shares every node the revisions since did not write.
    this.#transients?.forgetAll()
    if (id === this.#id) return this.#value
    const entries = this.#history.entries(id)
    if (id > this.#id || id < 0 || entries.length !== this.#id - id || entries[0]?.id !== id + 1) {
      throw new RangeError(`revision ${id} is not retained (history holds ${this.#history.size} revisions up to ${this.#id})`)
    }
    const draft = this.#draft(this.#value, false)
    for (let i = entries.length - 1; i >= 0; i--) draft.apply(entries[i]!.inverse)
    return draft.finish(this.#freeze).value
  }

  observe(path: Loose): Observable<unknown> {
    const segs = toSegments(path)
    return observable((next) => {
      next(read(this.get(), segs))
      return this.#trie.add(segs, (v) => next(v), this.#seq)
    })
  }

  stats() {
    return { ...this.#trie.stats, subscribers: this.#subscribers.size, history: this.#history.size }
  }

  #own(value: unknown): unknown {
    const v = toJson(value)
    return this.#freeze ? deepFreeze(v) : v
  }

  /**
   * A draft over `base`. With `inPlace` it may write transients in place: a local write,
   * while no dispatch walks the document (a watcher's write must not change what later
   * watchers of the same revision are handed) and no devtools view is shown.
   */
  #draft(base: unknown, inPlace: boolean): Draft {
    const t = this.#transients
    if (t === null) return new Draft(base)
    return new Draft(base, false, { root: t.root, inPlace: inPlace && !this.#dispatching && this.#view === null })
  }

  #forget = (segs: readonly string[]) => this.#transients!.forget(segs)

  /** Throws if a write may not start now; `local` is false for update(), which devtools' travel lets through. */
  #writable(local = true): void {
    if (local && this.#view !== null && !this.#probeWrite) {
      throw new PatchError('TIME_TRAVEL', `devtools show revision ${this.#view.id}: writes are refused until they go back to live`)
    }
    if (this.#committing) throw new PatchError('COMMIT_OPEN', 'beforeCommit must not write to the store: its revision is not made yet')
    if (this.#inTransaction) {
      throw new PatchError('TRANSACTION_OPEN', 'write through the transaction (tx.apply / tx.set) while it is open')
    }
    if (this.#dispatching && this.#depth >= MAX_NESTED_WRITES) {
      throw new PatchError('WATCHER_LOOP', `watchers' writes nested ${MAX_NESTED_WRITES} deep: a watcher keeps writing what triggers a watcher`)
    }
  }

  /**
   * Publishes a finished draft: the only place the store's value and revision change.
   * A server's message (`id` given) takes its id even when it changes nothing; a dump
   * whose id jumps restarts the history, which has no inverse across the jump.
   */
  #commit(draft: Draft, id?: number, { value, inverse, ops } = draft.finish(this.#freeze), label?: string): Revision | null {
    if (value === this.#value && id === undefined) {
      draft.discard()
      return null
    }
    // Past 2^53 an id + 1 rounds back to the same id: refuse before two revisions share one.
    if (id === undefined && this.#id >= Number.MAX_SAFE_INTEGER) {
      draft.discard()
      throw new PatchError('REVISION_LIMIT', `revision ${this.#id} is the last safe integer: no further id can be told apart`)
    }
    const revision: Revision = { id: id ?? this.#id + 1, patch: ops }
    const entry: LogEntry =
      label === undefined
        ? { id: revision.id, patch: ops, inverse, origin: id === undefined ? 'local' : 'server' }
        : { id: revision.id, patch: ops, inverse, origin: 'local', label }
    const hook = this.#options.beforeCommit
    if (hook) {
      this.#committing = true
      try {
        hook(entry, value)
      } finally {
        this.#committing = false
      }
    }
    const before = this.#value
    if (revision.id === this.#id + 1) this.#history.record(entry)
    else this.#history.clear()
    this.#value = value
    this.#id = revision.id
    // Other writes (transactions, updates, a watcher's, a patch too large to write in place)
    // forget them all: the next write copies once, which costs a large write less than
    // keeping track of what it wrote.
    if (draft.inPlaceAllowed) this.#transients?.committed(value, draft.changes.root, draft)
    else this.#transients?.forgetAll()
    const probe = this.#probe
    if (probe !== null) {
      try {
        probe.committed(entry, probe.stacks && id === undefined ? captureStack() : undefined)
      } catch (error) {
        report(this.#onError, error, { kind: 'subscriber', revision })
      }
    }
    // While devtools show a view, readers see the view: they hear of this when it is lifted.
    if (this.#view === null) this.#notify(before, value, draft, revision)
    return revision
  }

  /**
   * Runs watchers in revision order, also when a watcher itself writes to the store: such a
   * write is queued one level deeper than the revision whose dispatch made it.
   */
  #notify(before: unknown, after: unknown, draft: Draft, revision: Revision): void {
    const seq = ++this.#seq
    this.#queue.push({ before, after, draft, revision, seq, depth: this.#dispatching ? this.#depth + 1 : 0 })
    if (this.#dispatching) return
    this.#dispatching = true
    try {
      for (let job = this.#queue.shift(); job; job = this.#queue.shift()) {
        this.#depth = job.depth
        this.#current = job.revision
        // Attribution (who was called, how long) only while devtools are attached.
        const probe = this.#probe
        const calls = probe === null ? undefined : this.#calls
        if (calls) calls.length = 0
        const start = probe === null ? 0 : now()
        this.#trie.dispatch(job.before, job.after, job.draft.changes.root, {
          revision: job.revision,
          seq: job.seq,
          report: this.#watcherFailed,
          calls,
          inPlace: job.draft.inPlace,
          handed: this.#transients === null ? undefined : this.#forget,
        })
        this.#subscribers.emit(job.seq, job.revision, undefined, this.#subscriberFailed)
        probe?.dispatched(job.revision.id, calls!.items, calls!.length, clockOrigin + start, now() - start)
      }
    } finally {
      this.#dispatching = false
      this.#depth = 0
      this.#current = null
    }
  }

  /** Attaches devtools (see probe.ts). */
  [PROBE](probe: StoreProbe): StoreControl {
    if (this.#probe !== null) throw invalidArgument('devtools are already attached to this store (share one inspector)')
    this.#probe = probe
    const control: StoreControl = {
      show: (view) => {
        if (this.#probe !== probe) throw invalidArgument('these devtools were detached')
        this.#show(view)
      },
      write: (patch, label) => {
        if (this.#probe !== probe) throw invalidArgument('these devtools were detached')
        this.#probeWrite = true
        try {
          return this.apply(patch, { label })
        } finally {
          this.#probeWrite = false
        }
      },
      detach: () => {
        if (this.#probe !== probe) return
        this.#show(null)
        this.#probe = null
      },
    }
    return control
  }

  /**
   * Moves what readers see to `view` (or back to the document): watchers and subscribers
   * are told as for a revision whose patch is the diff between the two, so each hears
   * exactly whether its value changed, with the patch scoped as usual.
   */
  #show(view: Dump<unknown> | null): void {
    if (this.#dispatching || this.#inTransaction || this.#committing) throw invalidArgument('devtools cannot travel from inside a write or a dispatch')
    const before = this.get()
    // A view is built by devtools from this store's own values and patches: plain JSON
    // already, so it is frozen (its new nodes only), not copied.
    const target = view === null ? { id: this.#id, value: this.#value } : { id: view.id, value: this.#freeze ? deepFreeze(view.value) : view.value }
    const ops = diff(before as JsonValue, target.value as JsonValue, '', [])
    const draft = this.#draft(before, false)
    draft.apply(ops)
    const travelled = this.#view !== null
    this.#view = view === null ? null : target
    // Subscribers hear every start and end of travel, even to an equal document: writes are refused meanwhile.
    if (ops.length > 0 || travelled !== (view !== null)) this.#notify(before, target.value, draft, markTravel({ id: target.id, patch: ops }, view !== null))
  }

  // A failing callback must not undo a committed revision nor starve the others, nor (as an
  // uncaught exception would in Node) end the host: its error goes to onError.
  #watcherFailed = (error: unknown, site: WatchSite) =>
    report(this.#onError, error, { kind: 'watcher', path: formatPointer(site.segs), revision: this.#current! })
  #subscriberFailed = (error: unknown) => report(this.#onError, error, { kind: 'subscriber', revision: this.#current! })
}

/**
 * The diff of `value` against the draft, applied. `value` is not walked first: the diff
 * skips what is `===` to the store's own nodes (committed, so already checked), and the
 * draft checks and copies what the diff writes, each value once. The diff walks the rest
 * only through plain objects and arrays, and what it finds equal to the store's own
 * values it leaves in place, so no part of `value` that is not plain JSON can get in.
 */
function setIn(draft: Draft, path: Loose, value: unknown): void {
  const segs = toSegments(path)
  const pointer = toPointer(path)
  if (value === undefined) throw new PatchError('VALUE_INVALID', 'undefined is not a JSON value (remove the key instead)', -1, pointer)
  let ops
  try {
    ops = diff(draft.get(segs), value as JsonValue, pointer, [])
  } catch (e) {
    if (e instanceof PatchError) throw e
    throw new PatchError('VALUE_INVALID', `reading the value threw: ${e instanceof Error ? e.message : String(e)}`, -1, pointer, { cause: e })
  }
  draft.apply(ops)
}

const invalidArgument = (why: string) => new PatchError('ARGUMENT_INVALID', why)

function labelOf(options: WriteOptions | WatchOptions | undefined, what = 'write'): string | undefined {
  if (options === undefined) return undefined
  if (typeof options !== 'object' || options === null) throw invalidArgument(`${what} options are an object { label }, got ${describe(options)}`)
  const label = options.label
  if (label !== undefined && typeof label !== 'string') throw invalidArgument(`a label is a string, got ${describe(label)}`)
  return label
}

function callback(fn: unknown, method: string): void {
  if (typeof fn !== 'function') throw invalidArgument(`${method} takes a function, got ${describe(fn)}`)
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v
}
