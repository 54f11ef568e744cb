import { PatchError } from './errors'
import { deepEqual } from './json'
import { ListenerList } from './listeners'
import type { Patch, Revision } from './patch'
import { parseIndex, parsePointer, toPointer, type Path, type Segments } from './pointer'
import { isBelow, reaches } from './scope'
import type { Store } from './store'
import type { At, PathOf, ReadonlyDeep } from './types'
import { wholePatch } from './watchers'

export type Key = string | number

/** The item type of the array at a pointer (read-only, as the store hands it out); distributes, so loose JSON gives JSON. */
export type ItemOf<A> = A extends readonly (infer E)[] ? ReadonlyDeep<E> : never

export interface IndexOptions {
  /**
   * Receives the error when a revision leaves the array with a duplicate or invalid key, or
   * not an array, and what an index listener throws. Default: `console.error`, plus
   * `reportError` where the host has one.
   */
  onError?: (error: unknown) => void
}

/**
 * A keyed view of the array at a pointer: items are identified by key, not by position, so a
 * reorder changes `keys()` and nothing else. Maintained from each revision's scoped patch.
 */
export interface KeyedIndex<Item, K extends Key = Key> {
  /** The keys in array order: the same array until the order or the membership changes. Bound (pass it as is). */
  readonly keys: () => readonly K[]
  /**
   * The item with this key (deep-equal to the one at `pointer(key)`), the same reference
   * until that item's value changes: one written back equal keeps it. Undefined if none.
   */
  get(key: K): Item | undefined
  /** The item's current pointer (`'/todos/3'`), or undefined if no item has this key. */
  pointer(key: K): string | undefined
  /** Calls `fn` after each revision that changes the value of the item with this key (wherever it moves), with the new item. */
  watch(key: K, fn: (item: Item | undefined) => void): () => void
  /** Calls `fn` after each revision that changes `keys()` (order or membership), and when the index fails or recovers. Bound. */
  readonly subscribe: (fn: () => void) => () => void
  /**
   * Why the index is failing (a PatchError `KEY_DUPLICATE`, `KEY_INVALID` or `NOT_AN_ARRAY`),
   * or null. While it fails, `keys`, `get` and `pointer` throw it; the first revision that
   * makes the array valid again recovers the index.
   */
  readonly error: PatchError | null
  /** Stops following the store and drops every listener; reads give the last state. */
  dispose(): void
}

/**
 * `createIndex(store, '/todos', (todo) => todo.id)`: keys must be strings or finite
 * numbers, one per item. An array that breaks this when the index is created is a thrown
 * PatchError; a later revision that breaks it puts the index in its error state (see
 * `error`): the store itself is never refused a write by an index.
 */
export function createIndex<T, const P extends Path, K extends Key>(
  store: Store<T>,
  path: P & PathOf<T, P>,
  key: (item: ItemOf<At<T, P>>) => K,
  options: IndexOptions = {},
): KeyedIndex<ItemOf<At<T, P>>, K> {
  if (typeof key !== 'function') throw new PatchError('ARGUMENT_INVALID', `createIndex takes a key function, got ${typeof key}`)
  return new Index(store as Store<unknown>, toPointer(path), key as (item: unknown) => K, options) as KeyedIndex<ItemOf<At<T, P>>, K>
}

/** Keys of the array as it changes, for one revision: what `follow` found. */
interface Followed<K> {
  /** The keys after the patch; placeholders at the `dirty` positions. A new array iff `copied`. */
  keys: K[]
  copied: boolean
  /** Positions whose item is new or was written inside: their keys are read from the new array. */
  dirty: Set<number>
  /** Keys of the old array whose item was removed, replaced or written inside. */
  released: Set<K>
  /** The first position an insertion or removal shifted (the length when none did). */
  shifted: number
}

class Index<K extends Key> {
  readonly #base: string
  readonly #at: Segments
  readonly #keyOf: (item: unknown) => K
  readonly #onError: (error: unknown) => void
  #keys: readonly K[] = Object.freeze([])
  /** The item handed out per key: kept while the store's item stays deep-equal to it. */
  readonly #items = new Map<K, unknown>()
  /** The store's node per key as of the last revision, to see which shifted items came back new. */
  readonly #nodes = new Map<K, unknown>()
  /** Positions by key; those at and after `#stale` may be out of date (see `pointer`). */
  readonly #pos = new Map<K, number>()
  #stale = 0
  #error: PatchError | null = null
  /** Revisions seen: a listener added during one hears the next (as the store's do). */
  #seq = 0
  readonly #listeners = new ListenerList<undefined>()
  readonly #watchers = new Map<K, ListenerList<unknown>>()
  #unwatch: (() => void) | null

  constructor(store: Store<unknown>, pointer: string, keyOf: (item: unknown) => K, options: IndexOptions) {
    this.#base = pointer
    this.#at = parsePointer(pointer)
    this.#keyOf = keyOf
    this.#onError = options.onError ?? logIndexError
    const scanned = this.#rescan(store.get(pointer as ''))
    if (scanned instanceof PatchError) throw scanned
    this.#unwatch = store.watch(pointer as '', (value, revision) => this.#update(value, revision))
  }

  get error(): PatchError | null {
    return this.#error
  }

  keys = (): readonly K[] => {
    if (this.#error) throw this.#error
    return this.#keys
  }

  get(key: K): unknown {
    if (this.#error) throw this.#error
    return this.#items.get(key)
  }

  pointer(key: K): string | undefined {
    if (this.#error) throw this.#error
    if (!this.#items.has(key)) return undefined
    let p = this.#pos.get(key)
    if (p === undefined || this.#keys[p] !== key) {
      // Keys are unique, so `keys[p] === key` proves a position right; refresh the stale tail once.
      for (let i = this.#stale; i < this.#keys.length; i++) this.#pos.set(this.#keys[i]!, i)
      this.#stale = this.#keys.length
      p = this.#pos.get(key)!
    }
    return `${this.#base}/${p}`
  }

  watch(key: K, fn: (item: unknown) => void): () => void {
    if (typeof fn !== 'function') throw new PatchError('ARGUMENT_INVALID', `watch takes a function, got ${typeof fn}`)
    if (!this.#unwatch) return noop
    let list = this.#watchers.get(key)
    if (!list) this.#watchers.set(key, (list = new ListenerList()))
    const entry = list.add(fn, this.#seq)
    const at = list
    return () => {
      // No leak: a key nobody watches any more holds no list.
      if (at.remove(entry) && at.size === 0 && this.#watchers.get(key) === at) this.#watchers.delete(key)
    }
  }

  subscribe = (fn: () => void): (() => void) => {
    if (typeof fn !== 'function') throw new PatchError('ARGUMENT_INVALID', `subscribe takes a function, got ${typeof fn}`)
    if (!this.#unwatch) return noop
    const entry = this.#listeners.add(fn, this.#seq)
    return () => void this.#listeners.remove(entry)
  }

  dispose(): void {
    this.#unwatch?.()
    this.#unwatch = null
    this.#watchers.clear()
    while (this.#listeners.head) this.#listeners.remove(this.#listeners.head)
  }

  /** Follows one revision of the array: incrementally where its patch says what moved. */
  #update(value: unknown, revision: Revision): void {
    const seq = ++this.#seq
    const followed = this.#error || !Array.isArray(value) ? null : follow(wholePatch(revision), this.#at, this.#keys)
    const changed = followed && followed.keys.length === (value as unknown[]).length
      ? this.#apply(followed, value as readonly unknown[])
      : this.#rescan(value)
    if (changed instanceof PatchError) {
      const first = this.#error === null
      this.#error = changed
      if (first) this.#listeners.emit(seq, undefined, undefined, this.#failed)
      this.#failed(changed)
      return
    }
    const recovered = this.#error !== null
    this.#error = null
    if (recovered || changed.order) this.#listeners.emit(seq, undefined, undefined, this.#failed)
    for (const k of changed.items) this.#watchers.get(k)?.emit(seq, this.#items.get(k), undefined, this.#failed)
  }

  /** Completes what `follow` found with the keys of the new and written items; a PatchError leaves the index as it was. */
  #apply(f: Followed<K>, next: readonly unknown[]): Changes<K> | PatchError {
    const found = new Map<K, number>()
    let keys = f.keys
    let copied = f.copied
    // The store keeps an old identity for what ends deep-equal position by position, so a
    // shifted item may come back a new object (sharing its neighbour's equal parts): one
    // identity check per shifted position catches it, without calling the key function.
    for (let p = f.shifted; p < next.length; p++) {
      if (!f.dirty.has(p) && next[p] !== this.#nodes.get(keys[p]!)) f.released.add(keys[p]!), f.dirty.add(p)
    }
    for (const p of f.dirty) {
      const k = this.#keyAt(next, p)
      if (k instanceof PatchError) return k
      // Taken by another new or written item, or by an item the patch left alone.
      const other = found.get(k) ?? (this.#items.has(k) && !f.released.has(k) ? keys.indexOf(k) : undefined)
      if (other !== undefined) return this.#duplicate(k, p, other)
      found.set(k, p)
      if (keys[p] !== k) {
        if (!copied) (keys = keys.slice()), (copied = true)
        keys[p] = k
      }
    }
    const items: K[] = []
    for (const k of f.released) if (!found.has(k)) this.#drop(k), items.push(k)
    for (const [k, p] of found) {
      this.#pos.set(k, p)
      if (this.#settle(k, next[p])) items.push(k)
    }
    const order = copied && !sameKeys(keys, this.#keys)
    if (order) this.#setKeys(keys, Object.isFrozen(next), firstDifference(keys, this.#keys))
    return { order, items }
  }

  /** Reads the whole array again: for a root replace, a recovery, or a patch `follow` cannot place. */
  #rescan(value: unknown): Changes<K> | PatchError {
    const scanned = this.#scan(value)
    if (scanned instanceof PatchError) return scanned
    const items: K[] = []
    for (const k of [...this.#items.keys()]) if (!scanned.nodes.has(k)) this.#drop(k), items.push(k)
    for (const [k, node] of scanned.nodes) if (this.#settle(k, node)) items.push(k)
    // After an error, subscribers saw keys() throw: they get a new array to render.
    const order = this.#error !== null || !sameKeys(scanned.keys, this.#keys)
    this.#pos.clear()
    this.#stale = 0
    if (order) this.#setKeys(scanned.keys, scanned.frozen, 0)
    return { order, items }
  }

  #scan(value: unknown): { keys: K[]; nodes: Map<K, unknown>; frozen: boolean } | PatchError {
    if (value === undefined) return { keys: [], nodes: new Map(), frozen: true } // a list not there yet is empty
    if (!Array.isArray(value)) return new PatchError('NOT_AN_ARRAY', `an index needs an array at '${this.#base}', found ${describe(value)}`, -1, this.#base)
    const keys: K[] = new Array(value.length)
    const nodes = new Map<K, unknown>()
    for (let i = 0; i < value.length; i++) {
      const k = this.#keyAt(value, i)
      if (k instanceof PatchError) return k
      if (nodes.has(k)) return this.#duplicate(k, i, keys.indexOf(k))
      nodes.set(k, value[i])
      keys[i] = k
    }
    return { keys, nodes, frozen: Object.isFrozen(value) }
  }

  /**
   * Records the store's node for `k`; true if the item changed. An item written back equal
   * (a swap written as two replaces, a sorted copy set whole, a server's dump) keeps the
   * reference handed out, so its watchers and rows stay quiet, as the store's no-ops do.
   */
  #settle(k: K, node: unknown): boolean {
    this.#nodes.set(k, node)
    const had = this.#items.has(k)
    const item = this.#items.get(k)
    if (had && (item === node || deepEqual(item, node))) return false
    this.#items.set(k, node)
    return true
  }

  #drop(k: K): void {
    this.#items.delete(k)
    this.#nodes.delete(k)
    this.#pos.delete(k)
  }

  #setKeys(keys: K[], frozen: boolean, stale: number): void {
    // Keys handed out are as read-only as the store's values.
    this.#keys = frozen ? Object.freeze(keys) : keys
    this.#stale = Math.min(this.#stale, stale)
  }

  #keyAt(items: readonly unknown[], i: number): K | PatchError {
    let k: unknown
    try {
      k = this.#keyOf(items[i])
    } catch (cause) {
      return new PatchError('KEY_INVALID', `the key function threw on item ${i}: ${cause instanceof Error ? cause.message : String(cause)}`, -1, `${this.#base}/${i}`, { cause })
    }
    if (typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k))) return k as K
    return new PatchError('KEY_INVALID', `the key of item ${i} is ${typeof k === 'number' ? k : describe(k)}: a key is a string or a finite number`, -1, `${this.#base}/${i}`)
  }

  #duplicate(k: K, at: number, other: number): PatchError {
    return new PatchError('KEY_DUPLICATE', `items ${Math.min(at, other)} and ${Math.max(at, other)} have the same key ${JSON.stringify(k)}: keys must be unique`, -1, `${this.#base}/${at}`)
  }

  #failed = (error: unknown) => {
    try {
      this.#onError(error)
    } catch (failure) {
      logIndexError(new AggregateError([error, failure], 'onError threw while handling an error'))
    }
  }
}

interface Changes<K> {
  /** Whether `keys()` is a new array. */
  order: boolean
  /** Keys whose item changed (added, removed or rewritten). */
  items: K[]
}

const PLACEHOLDER = undefined as never

/**
 * Replays a revision's patch on the keys of the array at `base` alone: inserts, removals
 * and moves shift keys without reading any item; an item added or written inside becomes
 * dirty, its key read afterwards from the new array. The patch is the whole revision's,
 * unscoped: scoping it first cost a new path string per operation, parsed again here.
 * Null when the patch replaces the array whole (or holds anything this cannot place): the
 * caller rescans, which is always right.
 */
function follow<K>(patch: Patch, base: Segments, old: readonly K[]): Followed<K> | null {
  let keys = old as K[]
  let copied = false
  let dirty = new Set<number>()
  const released = new Set<K>()
  let shifted = old.length
  /** No dirty position is above this one: an insertion or removal after it shifts none. */
  let top = -1
  // Each insertion or removal costs a splice of the keys after it and, when dirty positions
  // follow it, a shift of the dirty set; past a few rescans' worth (a patch of thousands of
  // inserts in the middle), one rescan is cheaper. Appending costs next to nothing.
  let budget = 8 * old.length + 4096
  const own = () => {
    if (!copied) (keys = keys.slice()), (copied = true)
  }
  const shift = (from: number, by: number) => {
    budget -= keys.length - from + 1
    shifted = Math.min(shifted, from - (by < 0 ? 1 : 0))
    if (top < from) return
    budget -= dirty.size
    const moved = new Set<number>()
    for (const p of dirty) moved.add(p >= from ? p + by : p)
    dirty = moved
    top += by
  }
  const mark = (p: number) => {
    dirty.add(p)
    if (p > top) top = p
  }
  const touch = (p: number) => {
    if (!dirty.has(p)) released.add(keys[p]!), mark(p)
  }
  const take = (p: number): { key: K; dirty: boolean } => {
    const wasDirty = dirty.delete(p)
    const key = keys[p]!
    own()
    keys.splice(p, 1)
    shift(p + 1, -1)
    return { key, dirty: wasDirty }
  }
  const put = (p: number, slot: { key: K; dirty: boolean }) => {
    own()
    keys.splice(p, 0, slot.key)
    shift(p, 1)
    if (slot.dirty) mark(p)
  }
  const fresh = { key: PLACEHOLDER as K, dirty: true }
  // Items are at depth d: an operation's position in the array is its segment d.
  const d = base.length
  for (const op of patch) {
    if (op.op === 'test') continue
    let path = parsePointer(op.path)
    // Written at or above the array, or shifting an index on the way to it (see scopePatch).
    if (budget < 0 || reaches(op.op !== 'replace', path, base)) return null
    let kind = op.op
    if (op.op === 'move' || op.op === 'copy') {
      const from = parsePointer(op.from)
      if (op.op === 'move' && reaches(true, from, base)) return null
      const fromInside = isBelow(from, base)
      if (!isBelow(path, base)) {
        if (!fromInside || op.op === 'copy') continue
        // Moved out of the array: a removal from it.
        ;(path = from), (kind = 'remove')
      } else {
        if (!fromInside) return null // a value from outside the array
        const j = parseIndex(from[d]!)
        if (j < 0 || j >= keys.length) return null
        if (op.op === 'move' && from.length === d + 1) {
          const slot = take(j)
          if (path.length === d + 1) {
            // RFC 6902: the target is read after the removal.
            const at = path[d] === '-' ? keys.length : parseIndex(path[d]!)
            if (at < 0 || at > keys.length) return null
            put(at, slot)
            continue
          }
          if (!slot.dirty) released.add(slot.key) // the item now lives inside another one
        } else if (op.op === 'move') touch(j)
      }
    } else if (!isBelow(path, base)) continue
    const last = path.length === d + 1
    const insert = last && kind !== 'remove' && kind !== 'replace'
    const at = insert && path[d] === '-' ? keys.length : parseIndex(path[d]!)
    if (at < 0 || at > keys.length || (at === keys.length && !insert)) return null
    if (insert) put(at, fresh)
    else if (last && kind === 'remove') {
      const slot = take(at)
      if (!slot.dirty) released.add(slot.key)
    } else touch(at)
  }
  return { keys, copied, dirty, released, shifted }
}

function sameKeys<K>(a: readonly K[], b: readonly K[]): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function firstDifference<K>(a: readonly K[], b: readonly K[]): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v
}

const noop = () => {}

function logIndexError(error: unknown): void {
  console.error('patchdb: a keyed index', error)
  ;(globalThis as { reportError?: (e: unknown) => void }).reportError?.(error)
}
