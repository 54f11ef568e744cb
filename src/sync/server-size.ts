import { applyPatch, getPath, MAX_DEPTH, parsePointer, PatchError, type JsonValue, type Operation } from 'patchdb'

/**
 * Sizes of the document's nodes, kept per node: the server's values are immutable and share
 * structure, so after a write only the new nodes (the written values and the objects above
 * them) are measured; the rest is looked up.
 */
const sizes = new WeakMap<object, number>()

/**
 * The length of `value` as JSON text (UTF-16 code units, as `maxFrame` counts a text frame).
 * A value from the wire nested past MAX_DEPTH (which no store takes) throws TOO_DEEP, not a RangeError.
 */
export function jsonSize(value: JsonValue, depth = 0): number {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? JSON.stringify(value).length : String(value).length
  const known = sizes.get(value)
  if (known !== undefined) return known
  if (depth > MAX_DEPTH) throw new PatchError('TOO_DEEP', `a value nested more than ${MAX_DEPTH} levels`)
  let n = 2 // the brackets
  if (Array.isArray(value)) {
    for (const v of value) n += jsonSize(v, depth + 1) + 1
  } else {
    for (const k of Object.keys(value)) n += JSON.stringify(k).length + 2 + jsonSize(value[k]!, depth + 1)
  }
  sizes.set(value, n)
  return n
}

/**
 * The whole document's bound (limits.maxDocument). Measuring the document after each write
 * would cost a second apply and a walk of every wide object on the written path, so each
 * write is checked against an upper bound (the last known size plus what its operations can
 * add), and measured exactly only when that bound passes the limit.
 */
export class DocumentSize {
  /** A document and an upper bound of its size (exact when measured). */
  #known: { doc: JsonValue; size: number } | null = null
  /** The bound of the document once the write being checked goes in. */
  #next: number | null = null

  constructor(readonly max: number) {}

  /** Why `ops` may not be applied to `doc` (the document would pass `max`; shrinking one already past it is allowed), or null. */
  check(doc: JsonValue, ops: readonly Operation[]): string | null {
    this.#next = null
    let grow: number
    try {
      grow = growthBound(doc, ops)
    } catch (e) {
      if (e instanceof PatchError) return null // the append refuses it with its code
      throw e
    }
    const bound = (this.#known?.doc === doc ? this.#known.size : this.#measure(doc)) + grow
    if (bound <= this.max) {
      this.#next = bound
      return null
    }
    const before = this.#measure(doc)
    let after: JsonValue
    try {
      after = applyPatch(doc, ops as Operation[]).value
    } catch (e) {
      if (e instanceof PatchError) return null // the append refuses it with its code
      throw e
    }
    const size = jsonSize(after)
    if (size > this.max && size > before) return `the document would be ${size} characters of JSON, over the server's limit of ${this.max}`
    this.#next = size
    return null
  }

  /** The write checked last went in: `doc` is the document now. */
  wrote(doc: JsonValue): void {
    if (this.#next !== null) this.#known = { doc, size: this.#next }
    this.#next = null
  }

  #measure(doc: JsonValue): number {
    const size = jsonSize(doc)
    this.#known = { doc, size }
    return size
  }
}

/** No less than what `ops` add to the size of `doc` (removals are not subtracted). */
function growthBound(doc: JsonValue, ops: readonly Operation[]): number {
  let grow = 0
  let wrote = false
  for (const op of ops) {
    if (op.op === 'test') continue
    const segs = parsePointer(op.path)
    // Every operation but a removal may make its key (a move to a long key grows the document).
    const key = segs.length > 0 ? JSON.stringify(segs[segs.length - 1]).length + 2 : 0
    if (op.op === 'add' || op.op === 'replace') grow += jsonSize(op.value) + key
    else if (op.op === 'move') grow += key
    else if (op.op === 'copy') {
      // After an earlier write of this patch, `from` may hold what `doc` does not: bound it by all there is.
      const value = wrote ? undefined : (getPath(doc, op.from) as JsonValue | undefined)
      grow += (value === undefined ? jsonSize(doc) + grow : jsonSize(value)) + key
    }
    wrote = true
  }
  return grow
}
