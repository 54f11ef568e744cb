import {
  applyPatch,
  attachProbe,
  deepEqual,
  diff,
  getPath,
  PatchError,
  parsePointer,
  scopePatch,
  type CallCounts,
  type Dump,
  type JsonValue,
  type LogEntry,
  type Patch,
  type Store,
  type StoreControl,
} from 'patchdb'
import {
  PROTOCOL_VERSION,
  readExportedLog,
  type EntryError,
  type EntryMessage,
  type EntryOrigin,
  type ExportedLog,
  type InspectorMessage,
  type InspectorPort,
  type LabelCalls,
  type PanelMessage,
  type PointerCalls,
  type RenderCalls,
  type StatusFields,
} from './protocol'
import { errorFields, invalid, readPointer } from './validate'

export interface InspectorOptions {
  /** Names this store in the panel. Default 'store'. */
  name?: string
  /** Entries kept; older ones fold into the base. Default 1000. */
  limit?: number
  /** Capture where each local write was made (a stack trace): development only, it costs. */
  stacks?: boolean
}

/**
 * An entry as the inspector keeps it: the store's own patch objects, never copied. A class
 * whose fields all exist from the start, its attribution in the inspector's flat array and
 * its dispatch time a small integer: recording a revision allocates this one object, since
 * every object an entry holds is copied by the young-generation GC while it is young (see
 * BENCHMARKS.md, scenario 10). What a panel reads is built when it asks (see #message).
 */
class Entry {
  label: string | undefined = undefined
  stack: string | undefined = undefined
  error: EntryError | undefined = undefined
  /** Render attribution: where its values start in the inspector's `#calls`, and how many (see CallCounts). */
  callsAt = 0
  callsLength = 0
  /** How long its dispatch took, in whole µs; -1 until it ran. */
  us = -1

  constructor(
    public id: number,
    readonly patch: Patch,
    public inverse: Patch,
    /**
     * When it was dispatched (or recorded, when it never is), in whole ms after the
     * inspector's epoch: a small integer, where a Date.now() value would be one more object.
     */
    public at: number,
    readonly origin: EntryOrigin,
    public skipped: boolean,
  ) {}
}

export interface Inspector extends InspectorPort {
  /** Recorded revisions in replay order. */
  entries(): readonly EntryMessage[]
  /** The document every entry replays from. */
  base(): Dump
  /** The document at entry `id` (or the base's id) in the current replay, or the value at `pointer` in it. */
  valueAt(id: number, pointer?: string): JsonValue | undefined
  /** The store shows the document at `id`; nothing is written, writes are refused until live(). */
  jump(id: number): void
  /** Back to the store's document. */
  live(): void
  /** Skips or un-skips entry `id`: the head is replayed without it, committed as one revision. */
  toggle(id: number): void
  /** Moves entry `id` before entry `beforeId` (to the end with null), then replays as toggle does. */
  reorder(id: number, beforeId: number | null): void
  /** The head becomes the base; entries are dropped. */
  commit(): void
  /** The store goes back to the base (one revision); entries are dropped. */
  reset(): void
  /** Stops (true) or resumes (false) recording; what happens meanwhile is kept as one unlabelled entry. */
  pause(paused: boolean): void
  export(): ExportedLog
  /** Replays an exported log (an object or its JSON) into the store: its base and revisions become this inspector's. */
  import(log: unknown): void
  /** Entries in the head whose patch changed the value at `pointer`, with the patch scoped to it. */
  touching(pointer: string): { id: number; patch: Patch }[]
  status(): StatusFields
  close(): void
}

const DEVTOOLS = 'devtools'

/**
 * Attaches an inspector to a store: it records every revision (the store's own patch and
 * inverse, label, origin, render attribution) and travels, skips, reorders and replays
 * them. Invariant: the store's document equals the base plus the entries in the head
 * (neither skipped nor in error), applied in list order.
 */
export function createInspector(store: Store<any>, options: InspectorOptions = {}): Inspector {
  return new PatchInspector(store as Store<JsonValue>, options)
}

class PatchInspector implements Inspector {
  readonly #store: Store<JsonValue>
  readonly #control: StoreControl
  readonly #name: string
  readonly #limit: number
  /** The base's revision while no entry waits to be trimmed (see #baseId). */
  #trimmedBaseId: number
  /** The base's document, or null until read since entries last left the list (see #base). */
  #baseDoc: JsonValue | null
  /** Entries from index `#start` on; those before it have left the list and wait to be trimmed. */
  #entries: Entry[] = []
  #start = 0
  #paused = false
  /** While paused: the head when recording stopped, to keep what happens meanwhile as one entry. */
  #pausedFrom: Dump | null = null
  #viewing: number | null = null
  /**
   * Set just before the inspector's own write: the next commit is that write, which is not
   * an entry. Writes its watchers make in turn are the app's, and are recorded.
   */
  #ownWrite = false
  /**
   * Entries recorded but not yet dispatched (their render attribution is on its way),
   * oldest first, and their store revisions: the store dispatches in commit order, so the
   * one dispatched is at or near the front. The first `#waiting` slots of two arrays, never
   * shortened: a Map's insert and delete, or an array emptied (which gives its storage up,
   * so the next push allocates anew), cost every recorded revision measurably.
   */
  readonly #undispatched: (Entry | null)[] = []
  readonly #undispatchedIds: number[] = []
  #waiting = 0
  /** The entries' render attribution, one after the other (see Entry.callsAt); compacted when entries leave. */
  #calls: CallCounts[number][] = []
  readonly #listeners = new Set<(m: InspectorMessage) => void>()
  #closed = false
  readonly #epoch = Date.now()

  constructor(store: Store<JsonValue>, options: InspectorOptions) {
    if (typeof options !== 'object' || options === null) throw invalidArgument('createInspector options are an object')
    const { name = 'store', limit = 1000, stacks = false } = options
    if (typeof name !== 'string') throw invalidArgument('name is a string')
    if (!Number.isSafeInteger(limit) || limit < 1) throw invalidArgument(`limit is a whole number >= 1, got ${String(limit)}`)
    this.#store = store
    this.#name = name
    this.#limit = limit
    const head = this.#head()
    this.#trimmedBaseId = head.id
    this.#baseDoc = head.value as JsonValue
    this.#control = attachProbe(store, {
      stacks: stacks === true,
      committed: (entry, stack) => this.#record(entry, stack),
      dispatched: (id, calls, count, time, ms) => this.#dispatched(id, calls, count, time, ms),
    })
  }

  // Recording

  #record(e: LogEntry, stack: string | undefined): void {
    if (this.#ownWrite) {
      this.#ownWrite = false
      return
    }
    if (this.#paused) return
    const last = this.#entries[this.#entries.length - 1]
    // Ids are the store's, unless an imported log already holds higher ones.
    const id = last && last.id >= e.id ? last.id + 1 : e.id
    const entry = new Entry(id, e.patch, e.inverse, 0, e.origin ?? 'local', false) // timed when dispatched
    entry.label = e.label
    entry.stack = stack
    this.#push(entry)
    // While a view is shown nothing is dispatched: the entry goes out now, without attribution.
    if (this.#viewing === null) {
      this.#undispatched[this.#waiting] = entry
      this.#undispatchedIds[this.#waiting++] = e.id
      return
    }
    entry.at = this.#at(Date.now())
    if (this.#listeners.size > 0) this.#emit({ type: 'entry', entry: this.#message(entry) })
  }

  #dispatched(id: number, calls: CallCounts, n: number, time: number, ms: number): void {
    let at = 0
    while (at < this.#waiting && this.#undispatchedIds[at] !== id) at++
    if (at === this.#waiting) return
    const entry = this.#undispatched[at]!
    // Those recorded before it were dispatched already or never will be (a view was shown).
    this.#forgetUndispatched(at + 1, true)
    entry.at = this.#at(time)
    // Copied out of the store's array (refilled for the next dispatch); summed when a panel reads the entry.
    if (n > 0) {
      const out = this.#calls
      entry.callsAt = out.length
      entry.callsLength = n
      for (let i = 0; i < n; i++) out.push(calls[i]!)
    }
    entry.us = Math.round(ms * 1000)
    if (this.#listeners.size > 0) this.#emit({ type: 'entry', entry: this.#message(entry) })
  }

  /**
   * Forgets the first `count` entries waiting for their dispatch, or all. Those never
   * dispatched (all but the last when `dispatching`) are timed now.
   */
  #forgetUndispatched(count = this.#waiting, dispatching = false): void {
    const waiting = this.#undispatched
    const left = this.#waiting - count
    const untimed = dispatching ? count - 1 : count
    if (untimed > 0) for (let i = 0, t = this.#at(Date.now()); i < untimed; i++) waiting[i]!.at = t
    for (let i = 0; i < this.#waiting; i++) {
      waiting[i] = i < left ? waiting[i + count]! : null
      if (i < left) this.#undispatchedIds[i] = this.#undispatchedIds[i + count]!
    }
    this.#waiting = left
  }

  /**
   * The base's revision: the last entry that left the list (or where recording began).
   * Read from that entry when asked: reading it as it leaves touched an object a thousand
   * revisions old, out of the CPU's caches, on every recorded revision.
   */
  get #baseId(): number {
    return this.#start > 0 ? this.#entries[this.#start - 1]!.id : this.#trimmedBaseId
  }

  /** A new base (commit, import): the entries that left the list go first, so #baseId reads it. */
  #setBase(base: Dump): void {
    this.#trim()
    this.#trimmedBaseId = base.id
    this.#baseDoc = base.value as JsonValue
  }

  /** An entry's time as a Date.now() value; one still waiting for its dispatch (read by a watcher of it) is timed now. */
  #timeOf(e: Entry): number {
    for (let i = 0; i < this.#waiting; i++) if (this.#undispatched[i] === e) return Date.now()
    return this.#epoch + e.at
  }

  /** `time` (a Date.now() value) as an entry keeps it (see Entry.at). */
  #at(time: number): number {
    return Math.round(time - this.#epoch)
  }

  #push(entry: Entry): void {
    this.#entries.push(entry)
    if (this.#entries.length - this.#start > this.#limit) this.#drop()
  }

  /**
   * The oldest entry leaves the list and becomes the base. Nothing is applied: the base's
   * document is worked out when read (see #base), since folding entries into it as they
   * left cost every recorded revision a share of a patch application. Panels fold when
   * their list passes `limit` (see docs/devtools-protocol.md): no message is sent.
   */
  #drop(): void {
    this.#start++
    this.#baseDoc = null
    if (this.#start >= this.#limit) this.#trim()
  }

  /** Forgets the entries that left the list. */
  #trim(): void {
    if (this.#start === 0) return
    this.#trimmedBaseId = this.#baseId
    this.#entries.splice(0, this.#start)
    this.#start = 0
    this.#compactCalls()
  }

  /** Forgets the attribution of entries no longer in the list (all of it lies after the first one kept). */
  #compactCalls(): void {
    let from = this.#calls.length
    for (const e of this.#entries) if (e.callsLength > 0 && e.callsAt < from) from = e.callsAt
    if (from === 0) return
    this.#calls.splice(0, from)
    for (const e of this.#entries) if (e.callsLength > 0) e.callsAt -= from
  }

  /**
   * The base: the recorded head (the store's document, or where a pause began) with the
   * inverses of the entries in the head applied newest first, which holds by the invariant.
   * Kept until an entry next leaves the list.
   */
  #base(): Dump {
    this.#trim()
    if (this.#baseDoc === null) {
      const head = this.#pausedFrom ?? this.#head()
      const inverses = this.#entries.filter(inHead).reverse().map((e) => e.inverse)
      this.#baseDoc = applyPatch(head.value, ...inverses).value as JsonValue
    }
    return { id: this.#baseId, value: this.#baseDoc }
  }

  /** While paused, what changed since is kept as one entry, so the replay still reaches the head. */
  #settle(): void {
    const from = this.#pausedFrom
    if (from === null || from.id === this.#store.revision) return
    const now = this.#head()
    const patch = diff(from.value, now.value as JsonValue, '', [])
    const inverse = diff(now.value, from.value, '', [])
    this.#pausedFrom = now
    if (patch.length === 0) return
    const last = this.#entries[this.#entries.length - 1]
    const id = last && last.id >= now.id ? last.id + 1 : now.id
    const entry = new Entry(id, patch, inverse, this.#at(Date.now()), 'local', false)
    entry.label = 'unrecorded (recording paused)'
    this.#push(entry)
    this.#trim()
  }

  // Reading

  entries(): readonly EntryMessage[] {
    this.#open()
    this.#settle()
    return this.#entries.map(this.#message)
  }

  base(): Dump {
    return this.#base()
  }

  status(): StatusFields {
    return { head: this.#store.revision, viewing: this.#viewing, paused: this.#paused }
  }

  valueAt(id: number, pointer?: string): JsonValue | undefined {
    this.#open()
    this.#settle()
    const doc = this.#documentAt(this.#position(id))
    return (pointer === undefined ? doc : getPath(doc, readPointer(pointer, 'pointer'))) as JsonValue | undefined
  }

  /**
   * Index in the list of entry `id`, or -1. A scan: only panel actions look entries up, and
   * they replay the list anyway, while an index by id cost every recorded revision an insert
   * and a delete.
   */
  #indexOf(id: number): number {
    for (let i = this.#start; i < this.#entries.length; i++) if (this.#entries[i]!.id === id) return i
    return -1
  }

  /** Index in the list of entry `id`, or -1 for the base. */
  #position(id: number): number {
    if (!Number.isSafeInteger(id)) throw invalidArgument(`an entry id is a whole number, got ${String(id)}`)
    const at = this.#indexOf(id)
    if (at >= 0) return at
    if (id === this.#baseId) return -1
    throw new PatchError('ARGUMENT_INVALID', `no entry ${id}: the inspector holds the base (${this.#baseId}) and ${this.#entries.length} entries`)
  }

  /**
   * The document after the entry at `at` (the base for -1): the head with the inverses of
   * the later entries in the head, or the base with the patches of the earlier ones,
   * whichever is fewer patches. Values are shared with the store's, not copied.
   */
  #documentAt(at: number): JsonValue {
    const later = this.#entries.slice(at + 1).filter(inHead)
    const earlier = this.#entries.slice(0, at + 1).filter(inHead)
    if (later.length === 0) return this.#head().value as JsonValue
    if (earlier.length <= later.length) return applyPatch(this.#base().value, ...earlier.map((e) => e.patch)).value as JsonValue
    return applyPatch(this.#head().value, ...later.reverse().map((e) => e.inverse)).value as JsonValue
  }

  /** The store's own document (its record), whatever a view shows. */
  #head(): Dump {
    const id = this.#store.revision
    return { id, value: this.#store.valueAt(id) as JsonValue }
  }

  touching(pointer: string): { id: number; patch: Patch }[] {
    this.#open()
    this.#settle()
    const at = parsePointer(readPointer(pointer, 'pointer'))
    const out: { id: number; patch: Patch }[] = []
    let doc: unknown = this.#base().value
    for (const e of this.#entries) {
      if (!inHead(e)) continue
      const next = applyPatch(doc, e.patch).value
      const old = getPath(doc, at as string[])
      const cur = getPath(next, at as string[])
      // Untouched subtrees are shared (same object); a deep-equal copy is no change either, as for watchers.
      if (old !== cur && !deepEqual(old, cur)) out.push({ id: e.id, patch: scopePatch(e.patch, at, old, cur) })
      doc = next
    }
    return out
  }

  // Travel

  jump(id: number): void {
    this.#open()
    this.#settle()
    const doc = this.#documentAt(this.#position(id))
    this.#show({ id, value: doc })
    this.#viewing = id
    this.#emitStatus()
  }

  live(): void {
    this.#open()
    if (this.#viewing === null) return
    this.#show(null)
    this.#viewing = null
    this.#emitStatus()
  }

  #show(view: Dump | null): void {
    this.#control.show(view)
  }

  // Replay

  toggle(id: number): void {
    this.#open()
    this.#settle()
    const at = this.#position(id)
    if (at < 0) throw invalidArgument('the base is not an entry: it cannot be skipped')
    const entry = this.#entries[at]!
    this.#replay([...this.#entries], new Set([entry]), `${DEVTOOLS}: ${entry.skipped ? 'restore' : 'skip'} #${id}`)
  }

  reorder(id: number, beforeId: number | null): void {
    this.#open()
    this.#settle()
    const at = this.#position(id)
    if (at < 0) throw invalidArgument('the base is not an entry: it cannot move')
    const entry = this.#entries[at]!
    const rest = this.#entries.filter((e) => e !== entry)
    let to = rest.length
    if (beforeId !== null) {
      if (beforeId === id) return
      to = rest.findIndex((e) => e.id === beforeId)
      if (to < 0) throw invalidArgument(`no entry ${beforeId} to move before`)
    }
    rest.splice(to, 0, entry)
    this.#replay(rest, new Set(), `${DEVTOOLS}: move #${id}`)
  }

  commit(): void {
    this.#open()
    this.#settle()
    this.live()
    const head = this.#head()
    this.#setBase(head)
    this.#setEntries([])
  }

  reset(): void {
    this.#open()
    this.#settle()
    this.#setEntries(this.#write(this.#base().value, `${DEVTOOLS}: reset`))
    this.live()
    this.#emitStatus()
  }

  /**
   * Replays the base and `order` (flipping `flip`'s skipped), marks entries that no longer
   * apply, and commits the new head as one revision. Nothing changes if that write is
   * refused (a persistence layer's error): the entries are updated only after it.
   */
  #replay(order: Entry[], flip: Set<Entry>, label: string): void {
    let doc: unknown = this.#base().value
    const results = order.map((e) => {
      const skipped = flip.has(e) ? !e.skipped : e.skipped
      if (skipped) return { skipped, inverse: e.inverse, error: undefined }
      try {
        const r = applyPatch(doc, e.patch)
        doc = r.value
        return { skipped, inverse: r.inverse as Patch, error: undefined }
      } catch (err) {
        if (!(err instanceof PatchError)) throw err
        return { skipped, inverse: e.inverse, error: { code: err.code, message: err.message } }
      }
    })
    const added = this.#write(doc as JsonValue, label)
    order.forEach((e, i) => {
      const r = results[i]!
      e.skipped = r.skipped
      e.inverse = r.inverse
      e.error = r.error
    })
    this.#setEntries([...order, ...added])
    this.#reshow()
  }

  /**
   * Makes the store's document `doc` with one revision labelled as devtools', also while a
   * view is shown. Returns the entries its watchers' own writes recorded meanwhile: they
   * follow it, so they go at the end of whatever list the caller sets.
   */
  #write(doc: JsonValue, label: string): Entry[] {
    const patch = diff(this.#head().value, doc, '', [])
    if (patch.length === 0) return []
    const mark = this.#entries.length
    this.#ownWrite = true
    let revision
    try {
      revision = this.#control.write(patch, label)
    } finally {
      this.#ownWrite = false
    }
    // While paused, this write is the inspector's, not an unrecorded change: the recorded head moves with it.
    if (revision && this.#pausedFrom !== null) this.#pausedFrom = { id: revision.id, value: doc }
    return this.#entries.slice(mark)
  }

  /** After a replay, the view (if any) shows its entry as replayed now. */
  #reshow(): void {
    if (this.#viewing === null) return this.#emitStatus()
    if (this.#viewing !== this.#baseId && this.#indexOf(this.#viewing) < 0) return this.live()
    this.jump(this.#viewing)
  }

  #setEntries(entries: Entry[]): void {
    this.#entries = entries
    this.#start = 0
    this.#compactCalls()
    this.#forgetUndispatched()
    if (this.#viewing !== null && this.#viewing !== this.#baseId && this.#indexOf(this.#viewing) < 0) this.live()
    this.#emit(this.#list())
  }

  // Recording control, export and import

  pause(paused: boolean): void {
    this.#open()
    if (typeof paused !== 'boolean') throw invalidArgument('pause takes true or false')
    if (paused === this.#paused) return
    if (paused) this.#pausedFrom = this.#head()
    else this.#settle()
    if (!paused) this.#pausedFrom = null
    this.#paused = paused
    this.#emitStatus()
  }

  export(): ExportedLog {
    this.#open()
    this.#settle()
    return {
      format: 'patchdb-log',
      version: 1,
      base: this.#base(),
      revisions: this.#entries.map((e) => {
        const r = { id: e.id, patch: e.patch, time: this.#timeOf(e), origin: e.origin, skipped: e.skipped }
        return e.label === undefined ? r : { ...r, label: e.label }
      }),
    }
  }

  import(input: unknown): void {
    this.#open()
    let raw = input
    if (typeof input === 'string') {
      try {
        raw = JSON.parse(input)
      } catch (e) {
        throw invalid(`the log is not JSON: ${(e as Error).message}`, e)
      }
    }
    const log = readExportedLog(raw)
    const ids = new Set<number>()
    for (const r of log.revisions) {
      if (ids.has(r.id) || r.id === log.base.id) throw invalid(`revision id ${r.id} appears twice in the log`)
      ids.add(r.id)
    }
    this.#settle()
    const entries: Entry[] = log.revisions.map((r) => {
      const e = new Entry(r.id, r.patch, [], this.#at(r.time), r.origin, r.skipped)
      e.label = r.label
      return e
    })
    const before = this.#base()
    this.#setBase(log.base)
    try {
      this.#replay(entries, new Set(), `${DEVTOOLS}: import`)
    } catch (e) {
      this.#setBase(before)
      throw e
    }
    // An imported log longer than the limit keeps its newest entries.
    if (this.#entries.length > this.#limit) {
      while (this.#entries.length - this.#start > this.#limit) this.#drop()
      this.#trim()
      this.#emit(this.#list())
    }
  }

  // The panel's feed

  subscribe(fn: (m: InspectorMessage) => void): () => void {
    this.#open()
    if (typeof fn !== 'function') throw invalidArgument('subscribe takes a function')
    const listener = (m: InspectorMessage) => fn(m)
    this.#listeners.add(listener)
    return () => void this.#listeners.delete(listener)
  }

  receive(m: PanelMessage, reply: (m: InspectorMessage) => void): void {
    const requestId = 'requestId' in m ? m.requestId : undefined
    try {
      switch (m.type) {
        case 'connect':
          this.#open()
          this.#settle()
          return reply(this.#hello())
        case 'jump':
          return this.jump(m.id)
        case 'live':
          return this.live()
        case 'toggle':
          return this.toggle(m.id)
        case 'reorder':
          return this.reorder(m.id, m.beforeId)
        case 'commit':
          return this.commit()
        case 'reset':
          return this.reset()
        case 'pause':
          return this.pause(m.paused)
        case 'export':
          return reply({ type: 'exported', requestId: m.requestId, log: this.export() })
        case 'import':
          this.import(m.log)
          return reply({ type: 'status', ...this.status() })
        case 'touching':
          return reply({ type: 'touching', requestId: m.requestId, pointer: m.pointer, entries: this.touching(m.pointer) })
        case 'valueAt': {
          const value = this.valueAt(m.id, m.pointer)
          const out = { type: 'value' as const, requestId: m.requestId, id: m.id, pointer: m.pointer }
          return reply(value === undefined ? out : { ...out, value })
        }
      }
    } catch (e) {
      const error = { type: 'error' as const, ...errorFields(e) }
      reply(requestId === undefined ? error : { ...error, requestId })
    }
  }

  #hello(): InspectorMessage {
    return {
      type: 'hello',
      version: PROTOCOL_VERSION,
      name: this.#name,
      base: this.#base(),
      limit: this.#limit,
      entries: this.#entries.map(this.#message),
      status: this.status(),
    }
  }

  #list(): InspectorMessage {
    return { type: 'entries', base: this.#base(), entries: this.#entries.map(this.#message) }
  }

  #emitStatus(): void {
    this.#emit({ type: 'status', ...this.status() })
  }

  #emit(m: InspectorMessage): void {
    for (const fn of this.#listeners) {
      try {
        fn(m)
      } catch (e) {
        // A panel's bug must not break the app's write that fed it.
        console.error('patchdb devtools: a subscriber threw', e)
      }
    }
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#control.detach()
    this.#viewing = null
    this.#listeners.clear()
    this.#entries = []
    this.#calls = []
    this.#forgetUndispatched()
  }

  /** A snapshot of an entry for the panel: entries change (skipped, attribution), messages do not. */
  #message = (e: Entry): EntryMessage => {
    const m: Mutable<EntryMessage> = { id: e.id, patch: e.patch, inverse: e.inverse, time: this.#timeOf(e), origin: e.origin, skipped: e.skipped }
    if (e.label !== undefined) m.label = e.label
    if (e.stack !== undefined) m.stack = e.stack
    if (e.error !== undefined) m.error = e.error
    if (e.us >= 0) m.calls = renderCalls(this.#calls, e.callsAt, e.callsLength, e.us / 1000)
    return m
  }

  /** Every public method starts here: the inspector is open, and its list trimmed. */
  #open(): void {
    if (this.#closed) throw invalidArgument('this inspector is closed')
    this.#trim()
  }
}

const inHead = (e: Entry) => !e.skipped && e.error === undefined

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** The attribution `calls[at, at + length)` (stride 3: pointer, watchers called, labels summary or null; see CallCounts), summed. */
function renderCalls(calls: CallCounts, at: number, length: number, ms: number): RenderCalls {
  let watchers = 0
  const pointers: PointerCalls[] = []
  for (let i = at; i < at + length; i += 3) {
    const n = calls[i + 1] as number
    watchers += n
    const summary = calls[i + 2] as readonly (string | number)[] | null
    pointers.push(summary === null ? { pointer: calls[i] as string, calls: n } : { pointer: calls[i] as string, calls: n, labels: labelsOf(summary) })
  }
  return { watchers, pointers, ms }
}

/** A pointer's label summary (label, count, ...) as the protocol's `labels`. */
function labelsOf(summary: readonly (string | number)[]): LabelCalls[] {
  const labels: LabelCalls[] = []
  for (let i = 0; i < summary.length; i += 2) labels.push({ label: summary[i] as string, calls: summary[i + 1] as number })
  return labels
}

const invalidArgument = (why: string) => new PatchError('ARGUMENT_INVALID', why)
