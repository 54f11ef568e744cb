import { MAX_DEPTH } from './depth'
import { PatchError } from './errors'
import { parseIndex } from './pointer'

export type JsonPrimitive = string | number | boolean | null
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

export const isContainer = (v: unknown): v is Record<string, unknown> | unknown[] =>
  typeof v === 'object' && v !== null

const hasOwn = Object.prototype.hasOwnProperty

/** Own enumerable child at `key`, never an inherited one (so `constructor` is missing, not a function). */
export function child(node: unknown, key: string): unknown {
  if (typeof node !== 'object' || node === null) return undefined
  if (Array.isArray(node)) {
    const i = parseIndex(key)
    return i >= 0 && i < node.length ? node[i] : undefined
  }
  return hasOwn.call(node, key) ? (node as Record<string, unknown>)[key] : undefined
}

/** The value at `segs` below `value`, through own properties only; undefined when missing. */
export function read(value: unknown, segs: readonly string[]): unknown {
  let node = value
  for (let i = 0; i < segs.length && node !== undefined; i++) node = child(node, segs[i]!)
  return node
}

/** Plain JSON object: its prototype is Object.prototype or null (no class instance, Date, Map). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/**
 * False for strings with a lone UTF-16 surrogate, which UTF-8 (and so CBOR, the disk and
 * the wire) cannot carry: the durable stores could not give them back.
 */
export const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (s) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)

/**
 * Checks that `value` is plain JSON and returns a private copy of it, so the store never
 * shares a mutable object with its caller. Rejects what JSON cannot carry instead of
 * silently dropping it as JSON.stringify would, and values that nest more than `room`
 * containers (TOO_DEEP; the walk stops there, so no input can exhaust the stack). Each
 * member is read once: a getter or a Proxy cannot make the copy differ from what was
 * checked, and one that throws gives a PatchError.
 */
export function toJson(value: unknown, path = '', index = -1, room = MAX_DEPTH): JsonValue {
  // Fast path: most written values are leaves.
  if (typeof value === 'string') return isWellFormed(value) ? value : fail(`a string with a lone surrogate is not valid Unicode`)
  if (typeof value === 'boolean' || value === null) return value
  if (typeof value === 'number' && Number.isFinite(value)) return value === 0 ? 0 : value
  const seen = new Set<object>()
  function fail(why: string, code: 'VALUE_INVALID' | 'TOO_DEEP' = 'VALUE_INVALID'): never {
    throw new PatchError(code, why, index, path)
  }
  const copy = (v: unknown, depth: number): JsonValue => {
    switch (typeof v) {
      case 'string':
        if (!isWellFormed(v)) fail(`a string with a lone surrogate is not valid Unicode`)
        return v
      case 'boolean':
        return v
      case 'number':
        if (!Number.isFinite(v)) fail(`${v} is not a JSON number`)
        return v === 0 ? 0 : v // JSON has no -0

      case 'object': {
        if (v === null) return null
        if (depth >= room) fail(`the document would nest more than ${MAX_DEPTH} levels`, 'TOO_DEEP')
        if (seen.has(v)) fail('value contains a cycle')
        seen.add(v)
        let out: JsonValue
        if (Array.isArray(v)) {
          const arr: JsonValue[] = [] // filled by push: a packed array copies fast
          const n = v.length
          for (let i = 0; i < n; i++) {
            if (!(i in v)) fail('arrays must not have holes')
            arr.push(copy(v[i], depth + 1))
          }
          out = arr
        } else {
          if (!isPlainObject(v)) {
            const proto = Object.getPrototypeOf(v)
            fail(`${proto?.constructor?.name ?? 'class'} instance is not plain JSON`)
          }
          const obj: JsonObject = {}
          for (const k of Object.keys(v)) {
            if (k === '__proto__') fail(`key '__proto__' is not allowed`)
            if (!isWellFormed(k)) fail(`a key with a lone surrogate is not valid Unicode`)
            obj[k] = copy((v as Record<string, unknown>)[k], depth + 1)
          }
          out = obj
        }
        seen.delete(v)
        return out
      }
      default:
        return fail(`${typeof v} is not a JSON value`)
    }
  }
  try {
    return copy(value, 0)
  } catch (e) {
    if (e instanceof PatchError) throw e
    // A throwing getter, a Proxy trap, a revoked Proxy: the value cannot be read as JSON.
    throw new PatchError('VALUE_INVALID', `reading the value threw: ${e instanceof Error ? e.message : String(e)}`, index, path, { cause: e })
  }
}

/** Structural equality of two JSON values; shared subtrees short-circuit on identity. */
export function deepEqual(a: unknown, b: unknown): boolean {
  return equal(a, b, 0)
}

/** Bounded like the document: two values nested past MAX_DEPTH are refused, not a stack overflow. */
function equal(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (depth > MAX_DEPTH) throw new PatchError('TOO_DEEP', `values nested deeper than ${MAX_DEPTH} cannot be compared`)
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i], depth + 1)) return false
    return true
  }
  // A class instance is not a JSON object, whatever its keys.
  if (!isPlainObject(a) || !isPlainObject(b)) return false
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  for (const k of ka) {
    if (!hasOwn.call(b, k) || !equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1)) return false
  }
  return true
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const k of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[k])
  }
  return value
}
