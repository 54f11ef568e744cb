import { heightOf, MAX_DEPTH } from './depth'
import { PatchError, type PatchErrorCode } from './errors'
import { child, deepEqual, deepFreeze, isContainer, isWellFormed, read, toJson, type JsonValue } from './json'
import type { Operation, Patch } from './patch'
import { formatPointer, isPrefix, isUnsafeSegment, parseIndex, parsePointer, type Segments } from './pointer'
import { ChangeTree, type ChangeNode } from './changes'
import { forget, small, type TransientNode } from './transients'

type Container = Record<string, unknown> | unknown[]
const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test'])

/** How many slots a draft writes in place before it copies instead (see Draft.#op). */
const MAX_SLOTS = 32

/** What a slot held before the draft, when it held nothing. */
const ABSENT = Symbol('absent')

/**
 * A node written in place (a transient: see transients.ts), with what each slot it wrote
 * held before, so that the draft can be undone, reconciled, and dispatched against the
 * document as it was.
 */
export interface InPlace {
  readonly node: Container
  readonly tn: TransientNode
  /** The in-place node it was reached from (null: the root's copy). */
  readonly parent: InPlace | null
  readonly depth: number
  readonly segs: Segments
  /** Slot key -> its value before the draft (ABSENT when it had none). */
  readonly slots: Map<string, unknown>
  /** Set by finish: whether the node differs from what it was before the draft. */
  changed: boolean
}

/** The child at `key` of `old` as it was before the draft that wrote `cur` (the same node when written in place). */
export function childBefore(inPlace: ReadonlyMap<object, InPlace> | null, old: unknown, cur: unknown, key: string): unknown {
  if (old === cur && inPlace !== null) {
    const slots = inPlace.get(old as object)?.slots
    if (slots?.has(key)) {
      const v = slots.get(key)
      return v === ABSENT ? undefined : v
    }
  }
  return child(old, key)
}

/**
 * The patch engine: a copy-on-write working copy of a document.
 *
 * Each node on a written path is copied at most once per draft (the `owned` set), so a
 * transaction that touches one node a thousand times copies it once, and every untouched
 * subtree stays the same object. `finish` then restores the identity of any copied node
 * that ended up deep-equal to its original, which is what makes "no change" exact.
 */
export class Draft {
  root: unknown
  /** Forward operations applied so far, as private copies (failed patches excluded). */
  #ops: Operation[] = []
  #pending: Operation[] = []
  /** Where the document may have changed, for notification. */
  readonly changes = new ChangeTree()
  #owned = new Set<object>()
  /** Inverse operations, in application order (reversed on finish). */
  #undo: Operation[] = []
  /** Values copied in from outside: shared with the recorded patch, never written, frozen on finish. */
  #inserted: unknown[] = []
  #index = -1
  #path = ''
  /** Transients this draft may write in place (the root's entry); null: it copies every node it writes. */
  #transients: TransientNode | null
  /** The store's transients (this draft may write them in place or not): no node is known never to change. */
  readonly #trie: TransientNode | null
  /** The nodes written in place, by node; null when there are none. */
  #inPlace: Map<object, InPlace> | null = null
  /** Slots remembered so far: past MAX_SLOTS, copying is cheaper (see #op). */
  #slotCount = 0

  /**
   * `detached`: the document belongs to a caller (applyPatch). It may be removed (scoped
   * patches remove their root), and its nodes may change between calls, so no height is
   * cached. A store's document is never removed, and its nodes never change, unless the
   * store keeps transients (`transients` given): then no height is cached either, and with
   * `inPlace` this draft writes them in place.
   */
  readonly #detached: boolean
  /** Which nodes may still change, for the height cache; undefined: cache nothing. */
  readonly #mutable: ((node: object) => boolean) | undefined

  constructor(
    readonly base: unknown,
    detached = false,
    transients?: { root: TransientNode; inPlace: boolean },
  ) {
    this.root = base
    this.#detached = detached
    this.#trie = transients?.root ?? null
    this.#transients = transients?.inPlace ? transients.root : null
    this.#mutable = detached || this.#trie !== null ? undefined : (node) => this.#owned.has(node)
  }

  /**
   * Whether this draft writes transients in place: allowed (a store's apply or set) and not
   * given up for copying (see #copyInstead).
   */
  get inPlaceAllowed(): boolean {
    return this.#transients !== null
  }

  /** Nodes written in place, for dispatch (see childBefore); null when none were. */
  get inPlace(): ReadonlyMap<object, InPlace> | null {
    return this.#inPlace
  }

  /** Whether `node` was made (or written in place) by this draft: what may become a transient. */
  owns(node: object): boolean {
    return this.#owned.has(node)
  }

  /** Puts back what this draft wrote in place, for a draft that is not committed: the store's nodes are as they were. */
  discard(): void {
    if (this.#inPlace === null) return
    for (const rec of this.#inPlace.values()) restore(rec.node, rec.slots)
    this.#inPlace = null
  }

  /** Applies one patch atomically: if any operation fails, the draft is as it was. */
  apply(patch: Patch): void {
    const n = patchLength(patch)
    const mark = this.#undo.length
    this.#pending.length = 0
    try {
      for (let i = 0; i < n; i++) {
        this.#index = i
        this.#path = ''
        this.#op(readOperation(patch, i), false)
      }
    } catch (e) {
      // Roll back this patch only: earlier patches of a transaction stay applied.
      this.#index = -1
      for (let j = this.#undo.length - 1; j >= mark; j--) this.#op(this.#undo[j]!, true)
      this.#undo.length = mark
      throw e
    }
    for (const op of this.#pending) this.#ops.push(op)
  }

  get(segs: Segments): unknown {
    return read(this.root, segs)
  }

  /** Reconciles with the base and freezes new nodes; returns the new root and inverse patch. */
  finish(freeze: boolean): { value: unknown; inverse: Operation[]; ops: Operation[] } {
    this.#settle()
    const value = this.#reconcile(this.base, this.root, this.changes.root)
    // Copies sized to fit: a log keeps them, and an array grown by push has spare slots.
    const inverse = this.#undo.slice().reverse()
    const ops = this.#ops.slice()
    if (freeze && value !== this.base) {
      for (const node of this.#owned) Object.freeze(node)
      for (const v of this.#inserted) deepFreeze(v)
      for (const op of ops) Object.freeze(op)
      for (const op of inverse) Object.freeze(op)
      Object.freeze(ops)
      Object.freeze(inverse)
    }
    return { value, inverse, ops }
  }

  #fail(code: PatchErrorCode, why: string): never {
    throw new PatchError(code, why, this.#index, this.#path)
  }

  #pointer(p: string, trusted: boolean): Segments {
    this.#path = p
    const segs = parsePointer(p, this.#index)
    if (trusted) return segs
    for (const s of segs) if (isUnsafeSegment(s)) this.#fail('UNSAFE_PATH', `segment '${s}' is not allowed`)
    if (!isWellFormed(p)) this.#fail('VALUE_INVALID', 'a pointer with a lone surrogate is not valid Unicode')
    return segs
  }

  /**
   * Refuses a write whose value would nest the document deeper than MAX_DEPTH where it
   * lands. Every earlier write was checked, so the rest of the document is within it.
   */
  #room(segs: Segments, value: unknown): void {
    if (isContainer(value) && segs.length + heightOf(value, MAX_DEPTH - segs.length, this.#mutable) > MAX_DEPTH) {
      this.#fail('TOO_DEEP', `the document would nest more than ${MAX_DEPTH} levels`)
    }
  }

  /**
   * Applies one operation. From a caller (`trusted` off) it is a fresh record read by
   * readOperation, whose value is replaced by a checked private copy and which is then
   * recorded as is: what is checked is what is applied and what is recorded. Trusted
   * operations are this draft's own inverses, applied on rollback.
   */
  #op(op: Operation, trusted: boolean): void {
    // Remembering a slot costs more than copying a few hundred elements: a patch that
    // writes many slots copies each node once instead.
    if (this.#slotCount > MAX_SLOTS) this.#copyInstead()
    const from = op.op === 'move' || op.op === 'copy' ? this.#pointer(op.from, trusted) : undefined
    const path = this.#pointer(op.path, trusted)
    const p = op.path
    switch (op.op) {
      case 'add':
      case 'replace': {
        if (!trusted) {
          op.value = this.#insert(toJson(op.value, p, this.#index, MAX_DEPTH - path.length))
          this.#pending.push(op)
        }
        return void this.#write(op.op, path, p, op.value)
      }
      case 'remove':
        if (!trusted) this.#pending.push(op)
        return void this.#write('remove', path, p)
      case 'test': {
        if (!trusted) {
          op.value = this.#insert(toJson(op.value, p, this.#index))
          this.#pending.push(op)
        }
        const actual = this.get(path)
        if (actual === undefined) this.#fail('PATH_NOT_FOUND', `nothing to test at ${p}`)
        if (!deepEqual(actual, op.value)) this.#fail('TEST_FAILED', `value differs from the expected one`)
        return
      }
      case 'move': {
        if (!trusted) this.#pending.push(op)
        if (isPrefix(from!, path)) {
          if (from!.length === path.length) {
            if (this.get(path) === undefined) this.#fail('PATH_NOT_FOUND', `nothing to move at ${op.from}`)
            return // a move onto itself changes nothing
          }
          this.#fail('MOVE_INTO_ITSELF', `cannot move ${op.from} into its own child`)
        }
        // Only a move to a longer path can nest deeper. Checked before the removal, which
        // is recorded for rollback only once the add has succeeded.
        if (!trusted && path.length > from!.length) this.#room(path, this.get(from!))
        const back = op.from
        const [, v] = this.#write('remove', from!, back, undefined, false)
        if (isPrefix(path, from!)) {
          // Onto an ancestor of `from`: no way back by moving. Undo re-adds a copy of `v`
          // (a copy, because `v` stays in the document and later operations may write it).
          this.#undo.push({ op: 'add', path: back, value: this.#insert(toJson(v)) })
          return void this.#write('add', path, p, v)
        }
        // Until the add succeeds, re-adding `v` undoes the removal (a failed add rolls back).
        this.#undo.push({ op: 'add', path: back, value: v as JsonValue })
        const [target, replaced] = this.#write('add', path, p, v, false)
        this.#undo.pop()
        // Undone by moving back; or, when the move overwrote a value, by restoring it and
        // re-adding a copy of `v` (moving back first would shift the restore's indices).
        if (replaced === undefined) this.#undo.push({ op: 'move', from: target, path: back })
        else this.#undo.push({ op: 'add', path: back, value: this.#insert(toJson(v)) }, { op: 'replace', path: target, value: replaced as JsonValue })
        return
      }
      case 'copy': {
        if (!trusted) this.#pending.push(op)
        const v = this.get(from!)
        if (v === undefined) this.#fail('PATH_NOT_FOUND', `nothing to copy at ${op.from}`)
        if (!trusted && path.length > from!.length) this.#room(path, v)
        // A node this draft may still mutate must not appear twice; committed nodes are
        // immutable: a transient among them is one no longer once it is in two places.
        const mine = isContainer(v) && this.#owned.has(v)
        if (!mine && this.#trie !== null && isContainer(v)) forget(this.#trie, from!)
        return void this.#write('add', path, p, mine ? this.#insert(toJson(v, p, this.#index)) : v)
      }
    }
  }

  /**
   * The container at `segs`, made writable by copying it and its ancestors once; a
   * transient reached through transients from the root is written in place instead.
   */
  #writable(segs: Segments, count: number): Container {
    let node = this.#own(this.root)
    this.root = node
    let tn = this.#transients
    let rec: InPlace | null = null
    for (let i = 0; i < count; i++) {
      const key = segs[i]!
      const next = child(node, key)
      if (!isContainer(next)) {
        const at = formatPointer(segs.slice(0, i + 1))
        this.#fail('PATH_NOT_FOUND', next === undefined ? `${at} does not exist` : `${at} is not an object or array`)
      }
      let owned: Container
      const known = this.#inPlace?.get(next)
      const t = known === undefined && !this.#owned.has(next) ? tn?.kids?.get(key) : undefined
      if (known !== undefined) {
        owned = next
        rec = known
        tn = known.tn
      } else if (t !== undefined && t.node === next && (i < count - 1 || !small(next))) {
        owned = next
        rec = { node: next, tn: t, parent: rec, depth: i + 1, segs, slots: new Map(), changed: false }
        ;(this.#inPlace ??= new Map()).set(next, rec)
        this.#owned.add(next)
        tn = t
      } else {
        owned = this.#own(next)
        rec = null
        tn = null
      }
      if (owned !== next) this.#set(node, key, owned)
      node = owned
    }
    return node
  }

  /** Writes a slot of a node this draft owns, remembering what it held if the node is written in place. */
  #set(node: Container, key: string, value: unknown): void {
    this.#remember(node, key)
    ;(node as Record<string, unknown>)[Array.isArray(node) ? parseIndex(key) : key] = value
  }

  #remember(node: Container, key: string): void {
    const slots = this.#inPlace?.get(node)?.slots
    if (slots !== undefined && !slots.has(key)) {
      const v = child(node, key)
      slots.set(key, v === undefined ? ABSENT : v)
      this.#slotCount++
    }
  }

  /**
   * Stops writing in place for the rest of this draft: each node written in place goes
   * back to what it was, and a copy of it takes its place. Done before a node written in
   * place would leave the document (replaced, removed, moved; or the root replaced with
   * it) or an array written in place would shift its indices: the base stays intact, the
   * recorded inverse holds a copy, and the draft goes on as a copying one would.
   * Until then no such node has moved, so each is still where it was reached.
   */
  #copyInstead(): void {
    const recs = this.#inPlace
    if (recs === null) return
    this.#inPlace = null
    this.#transients = null
    const copies = new Map<object, Container>()
    for (const rec of [...recs.values()].sort((a, b) => a.depth - b.depth)) {
      const node = rec.node
      const copy = Array.isArray(node) ? [...node] : { ...node }
      restore(node, rec.slots)
      this.#owned.delete(node)
      this.#owned.add(copy)
      copies.set(node, copy)
      const holder = rec.parent === null ? (this.root as Container) : copies.get(rec.parent.node)!
      const key = rec.segs[rec.depth - 1]!
      ;(holder as Record<string, unknown>)[Array.isArray(holder) ? parseIndex(key) : key] = copy
    }
  }

  /** Whether `node` was written in place by this draft and differs from what it was (set by settle). */
  #changedInPlace(node: unknown): boolean {
    return this.#inPlace !== null && this.#inPlace.get(node as object)?.changed === true
  }

  /**
   * Reconciles the slots written in place (an equal value gets its old identity back) and
   * works out which nodes written in place changed, deepest first, so a parent knows.
   */
  #settle(): void {
    if (this.#inPlace === null) return
    const recs = this.#inPlace.size === 1 ? this.#inPlace.values() : [...this.#inPlace.values()].sort((a, b) => b.depth - a.depth)
    for (const rec of recs) {
      const node = rec.node
      for (const [k, was] of rec.slots) {
        const o = was === ABSENT ? undefined : was
        const c = child(node, k)
        if (c === undefined) {
          if (o !== undefined) rec.changed = true
          continue
        }
        const r = o === undefined ? c : this.#reconcile(o, c, this.#changeAt(rec, k))
        if (r !== c) (node as Record<string, unknown>)[Array.isArray(node) ? parseIndex(k) : k] = r
        if (r !== o || this.#changedInPlace(r)) rec.changed = true
      }
      if (rec.changed && rec.parent !== null) rec.parent.changed = true
    }
  }

  /** Where the change tree says the slot `key` of an in-place node was written, if it says. */
  #changeAt(rec: InPlace, key: string): ChangeNode | null {
    let c: ChangeNode | undefined = this.changes.root
    for (let i = 0; i < rec.depth && c !== undefined && !c.all; i++) c = c.children?.get(rec.segs[i]!)
    return c === undefined || c.all ? null : (c.children?.get(key) ?? null)
  }

  #own(node: unknown): Container {
    if (!isContainer(node)) this.#fail('PATH_NOT_FOUND', `the document has no container at the root`)
    if (this.#owned.has(node)) return node
    // Spread, not slice: V8 copies a frozen array with slice() a hundred times slower.
    const copy = Array.isArray(node) ? [...node] : { ...node }
    this.#owned.add(copy)
    return copy
  }

  #arrayIndex(arr: unknown[], key: string, add: boolean): number {
    const i = add && key === '-' ? arr.length : parseIndex(key)
    if (i < 0) this.#fail('INDEX_OUT_OF_BOUNDS', `'${key}' is not an array index`)
    if (i > arr.length || (!add && i === arr.length)) this.#fail('INDEX_OUT_OF_BOUNDS', `index ${i} is past the end (length ${arr.length})`)
    return i
  }

  /**
   * The one write primitive, at `segs` (spelled `pointer`): `add` inserts into an array or
   * sets a key, `replace` overwrites what exists, `remove` deletes. Returns the resolved
   * pointer and the value it displaced. With `record` off the caller writes the inverse
   * itself (see move).
   */
  #write(kind: 'add' | 'replace' | 'remove', segs: Segments, pointer: string, value?: unknown, record = true): [string, unknown] {
    const last = segs.length - 1
    let target = pointer
    let old: unknown
    if (last < 0) {
      // The root's copy holds the nodes written in place: they would leave with it.
      this.#copyInstead()
      old = this.root
      if (kind === 'remove' && !this.#detached) this.#fail('OPERATION_INVALID', 'a store always holds a document: replace it instead')
      if (kind === 'add' || old !== undefined) this.root = value
    } else {
      let parent = this.#writable(segs, last)
      const key = segs[last]!
      const inPlace = this.#inPlace
      if (inPlace !== null && ((kind !== 'replace' && Array.isArray(parent) && inPlace.has(parent)) || inPlace.has(child(parent, key) as object))) {
        this.#copyInstead()
        parent = this.#writable(segs, last)
      }
      if (Array.isArray(parent)) {
        const i = this.#arrayIndex(parent, key, kind === 'add')
        if (kind === 'replace') old = parent[i]
        else if (kind === 'add') target = key === '-' ? formatPointer([...segs.slice(0, last), i]) : pointer
        // Inserting or removing shifts the indices after it: the whole array may change.
        if (kind !== 'replace') this.changes.mark(segs, last)
        if (kind === 'remove') old = parent.splice(i, 1)[0]
        else if (kind === 'add') parent.splice(i, 0, value)
        else this.#set(parent, key, value)
      } else {
        old = child(parent, key)
        this.#remember(parent, key)
        if (kind === 'remove') delete parent[key]
        else if (kind === 'add' || old !== undefined) parent[key] = value
      }
    }
    if (kind !== 'add' && old === undefined) this.#fail('PATH_NOT_FOUND', `${pointer || 'the document'} does not exist`)
    this.changes.mark(segs)
    if (record) {
      this.#undo.push(
        old === undefined
          ? { op: 'remove', path: target }
          : { op: kind === 'remove' ? 'add' : 'replace', path: target, value: old as JsonValue },
      )
    }
    return [target, old]
  }

  /** Tracks a private copy so that finish freezes it (every value in the document or its log is frozen). */
  #insert(value: JsonValue): JsonValue {
    this.#inserted.push(value)
    return value
  }

  /**
   * Returns `old` wherever `cur` is deep-equal to it, at every level, so a write that ends
   * equal to what was there keeps its identity and its watchers stay quiet.
   *
   * Guided by the change tree: below a node written only inside (not `all`), `cur` is this
   * draft's copy of `old`, so only the written children can differ and only they are
   * visited; that keeps one write into a 10,000-row array O(depth). Elsewhere every child
   * is compared. Nodes this draft copied are rewritten in place; any other node
   * (committed, or inserted and shared with the recorded patch) is copied once if one of
   * its children gets an old identity back.
   */
  #reconcile(old: unknown, cur: unknown, changed: ChangeNode | null): unknown {
    if (old === cur || !isContainer(cur) || !isContainer(old)) return old === cur ? old : cur
    if (changed && !changed.all && this.#owned.has(cur)) {
      let same = true
      for (const [k, next] of changed.children ?? []) {
        const o = child(old, k)
        const c = child(cur, k)
        if (c === undefined) {
          if (o !== undefined) same = false
          continue
        }
        const r = o === undefined ? c : this.#reconcile(o, c, next)
        if (r !== c) this.#set(cur, k, r)
        if (r !== o || this.#changedInPlace(r)) same = false
      }
      return same ? old : cur
    }
    const oldArray = Array.isArray(old)
    let same = Array.isArray(cur) === oldArray
    let target: Container | null = this.#owned.has(cur) ? cur : null
    const write = (k: string | number, v: unknown) => {
      if (!target) {
        target = Array.isArray(cur) ? [...cur] : { ...cur }
        this.#owned.add(target)
      }
      this.#set(target, String(k), v)
    }
    if (Array.isArray(cur)) {
      if (same && cur.length !== (old as unknown[]).length) same = false
      for (let i = 0; i < cur.length; i++) {
        const c = cur[i]
        const o = oldArray ? (old as unknown[])[i] : child(old, String(i))
        const r = o === undefined ? c : this.#reconcile(o, c, null)
        if (r !== c) write(i, r)
        if (r !== o || this.#changedInPlace(r)) same = false
      }
    } else {
      const keys = Object.keys(cur)
      if (same && keys.length !== Object.keys(old).length) same = false
      for (const k of keys) {
        const c = cur[k]
        const o = child(old, k)
        const r = o === undefined ? c : this.#reconcile(o, c, null)
        if (r !== c) write(k, r)
        if (r !== o || this.#changedInPlace(r)) same = false
      }
    }
    return same ? old : (target ?? cur)
  }
}

/** Puts back the slots of a node written in place as they were before the draft. */
function restore(node: Container, slots: Map<string, unknown>): void {
  for (const [k, v] of slots) {
    if (Array.isArray(node)) node[parseIndex(k)] = v
    else if (v === ABSENT) delete node[k]
    else node[k] = v
  }
}

/** A patch's length, read once; a patch that cannot be read gives a PatchError. */
function patchLength(patch: unknown): number {
  let n: unknown
  try {
    n = Array.isArray(patch) ? patch.length : undefined
  } catch (e) {
    throw new PatchError('OPERATION_INVALID', `reading the patch threw: ${errorText(e)}`, -1, '', { cause: e })
  }
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new PatchError('OPERATION_INVALID', 'a patch must be an array of operations')
  return n
}

/**
 * Operation `i` of `patch`, read exactly once into a fresh record of its own: a getter
 * that changes between reads, or a Proxy, cannot make what is checked differ from what
 * is applied and recorded. The value is still the caller's; the draft copies it.
 */
function readOperation(patch: Patch, i: number): Operation {
  let raw: unknown
  let op: unknown
  let path: unknown
  let from: unknown
  let value: unknown
  let hasValue = false
  try {
    raw = patch[i]
    if (typeof raw === 'object' && raw !== null) {
      const r = raw as Record<string, unknown>
      op = r.op
      if (OPS.has(op as string)) path = r.path
      if (op === 'move' || op === 'copy') from = r.from
      else if (op === 'add' || op === 'replace' || op === 'test') {
        value = r.value
        hasValue = value !== undefined || 'value' in r
      }
    }
  } catch (e) {
    throw new PatchError('OPERATION_INVALID', `reading the operation threw: ${errorText(e)}`, i, '', { cause: e })
  }
  const invalid = (why: string, at = ''): never => {
    throw new PatchError('OPERATION_INVALID', why, i, at)
  }
  if (typeof op !== 'string' || !OPS.has(op)) return invalid(`not an RFC 6902 operation: ${safeString(raw)}`)
  if (typeof path !== 'string') return invalid(`'path' must be a string`)
  switch (op) {
    case 'move':
    case 'copy':
      if (typeof from !== 'string') return invalid(`'from' must be a string`, path)
      return { op, from, path }
    case 'remove':
      return { op, path }
    default:
      if (!hasValue) return invalid(`'${op}' needs a 'value'`, path)
      return { op: op as 'add', path, value: value as JsonValue }
  }
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e))

function safeString(v: unknown): string {
  try {
    return JSON.stringify(v)?.slice(0, 80) ?? String(v)
  } catch {
    return String(v)
  }
}
