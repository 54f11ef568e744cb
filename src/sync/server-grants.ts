import { formatPointer, getPath, parsePointer, scopePatch, type JsonValue, type Operation, type Patch } from 'patchdb'
import { UNSAFE } from './protocol'

type Segments = readonly string[]

const startsWith = (path: Segments, prefix: Segments) => prefix.length <= path.length && prefix.every((s, i) => path[i] === s)

/**
 * What one principal may read: pointers from `authorize.read`, normalised (a grant below
 * another adds nothing), minus the server's reserved key. Projects dumps and revisions on
 * them, so a frame never holds a value outside them. Clients whose grants have the same
 * `key` share one encoded frame per revision.
 */
export class Grants {
  /** The normalised pointers, sorted: also the key clients with equal grants share. */
  readonly pointers: readonly string[]
  readonly key: string
  /** True for the grant '': everything but the reserved key. */
  readonly root: boolean
  readonly #segs: Segments[]
  readonly #meta: string

  constructor(pointers: readonly string[], meta: string) {
    this.#meta = meta
    const parsed = [...new Set(pointers)].map((p) => ({ p, s: parsePointer(p) })).filter(({ s }) => s[0] !== meta)
    // Clients refuse such a welcome (and would reconnect for ever): the application's rule is wrong.
    const unsafe = parsed.find(({ s }) => s.some((seg) => UNSAFE.has(seg)))
    if (unsafe) throw new TypeError(`patchdb: authorize.read gave the grant '${unsafe.p}', whose segment could reach a prototype`)
    const kept = parsed.filter(({ s }) => !parsed.some((o) => o.s.length < s.length && startsWith(s, o.s)))
    kept.sort((a, b) => (a.p < b.p ? -1 : a.p > b.p ? 1 : 0))
    this.pointers = kept.map(({ p }) => p)
    this.#segs = kept.map(({ s }) => s)
    this.root = this.pointers.length === 1 && this.pointers[0] === ''
    this.key = JSON.stringify(this.pointers)
  }

  /** Whether the value at `pointer` is inside a grant (and not the server's bookkeeping). */
  readable(pointer: string): boolean {
    const segs = parsePointer(pointer)
    if (this.root) return segs.length > 0 && segs[0] !== this.#meta
    return this.#segs.some((g) => startsWith(segs, g))
  }

  /** The client's view of `doc`: a skeleton of objects down to each grant, the value at each. */
  project(doc: JsonValue): JsonValue {
    return this.root ? withoutKey(doc, this.#meta) : this.#skeleton(doc)
  }

  #skeleton(doc: JsonValue): JsonValue {
    const out: Record<string, JsonValue> = {}
    for (const g of this.#segs) {
      let node: Record<string, JsonValue> = out
      for (let i = 0; i < g.length - 1; i++) {
        const k = g[i]!
        if (!Object.prototype.hasOwnProperty.call(node, k)) define(node, k, {})
        node = node[k] as Record<string, JsonValue>
      }
      const value = getPath(doc, g) as JsonValue | undefined
      if (value !== undefined) define(node, g[g.length - 1]!, value)
    }
    return out
  }

  /**
   * Revision `patch` (from `before` to `after`) as the client sees it: applied to
   * project(before) it gives project(after). Tests are dropped (they held; a client does
   * not need them); grants whose value did not change (the same object: values share
   * structure) cost one lookup.
   */
  projectPatch(patch: Patch, before: JsonValue, after: JsonValue): Patch {
    if (this.root) return this.#rootPatch(patch, after)
    const out: Operation[] = []
    for (const g of this.#segs) {
      const old = getPath(before, g)
      const now = getPath(after, g)
      if (old === now) continue
      const prefix = formatPointer(g)
      for (const op of scopePatch(patch, g, old, now)) {
        if (op.op === 'test') continue
        const moved = op.op === 'move' || op.op === 'copy' ? { ...op, from: prefix + op.from, path: prefix + op.path } : { ...op, path: prefix + op.path }
        out.push(moved)
      }
    }
    return out
  }

  /**
   * The root grant: the patch without the operations on the bookkeeping, or, where a value
   * crosses between the two (or the root itself is written), one root replace of the result.
   */
  #rootPatch(patch: Patch, after: JsonValue): Patch {
    const out: Operation[] = []
    for (const op of patch) {
      if (op.op === 'test') continue
      const path = parsePointer(op.path)
      const inMeta = path.length > 0 && path[0] === this.#meta
      const fromMeta = (op.op === 'move' || op.op === 'copy') && parsePointer(op.from)[0] === this.#meta
      const crosses = path.length === 0 || (op.op === 'move' ? inMeta !== fromMeta : fromMeta && !inMeta)
      if (crosses) return [{ op: 'replace', path: '', value: withoutKey(after, this.#meta) }]
      if (!inMeta) out.push(op)
    }
    return out
  }
}

/** An own enumerable property, even for the key `__proto__`. */
function define(o: Record<string, unknown>, k: string, v: unknown) {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
}

/** `doc` without its top-level `key` (the same object when it has none). */
function withoutKey(doc: JsonValue, key: string): JsonValue {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !Object.prototype.hasOwnProperty.call(doc, key)) return doc
  const out: Record<string, JsonValue> = {}
  for (const k of Object.keys(doc)) if (k !== key) define(out, k, doc[k])
  return out
}
