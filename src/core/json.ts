import { PatchError } from './errors'
import { parseIndex } from './pointer'

export type JsonPrimitive = string | number | boolean | null
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

/** Upper bound on nesting, so hostile input cannot exhaust the stack. */
const MAX_DEPTH = 1000

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

/**
 * Checks that `value` is plain JSON and returns a private copy of it, so the store never
 * shares a mutable object with its caller. Rejects what JSON cannot carry instead of
 * silently dropping it as JSON.stringify would. With `copyValue` off it only checks, and
 * returns `value` itself.
 */
export function toJson(value: unknown, path = '', index = -1, copyValue = true): JsonValue {
  // Fast path: most written values are leaves.
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value as JsonValue
  if (typeof value === 'number' && Number.isFinite(value)) return value === 0 ? 0 : value
  const seen = new Set<object>()
  const fail = (why: string): never => {
    throw new PatchError('VALUE_INVALID', why, index, path)
  }
  const copy = (v: unknown, depth: number): JsonValue => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v
      case 'number':
        if (!Number.isFinite(v)) fail(`${v} is not a JSON number`)
        return v === 0 ? 0 : v // JSON has no -0

      case 'object': {
        if (v === null) return null
        if (depth > MAX_DEPTH) fail(`value nested deeper than ${MAX_DEPTH}`)
        if (seen.has(v)) fail('value contains a cycle')
        seen.add(v)
        let out: JsonValue
        if (Array.isArray(v)) {
          const arr: JsonValue[] = [] // filled by push: a packed array copies fast
          for (let i = 0; i < v.length; i++) {
            if (!(i in v)) fail('arrays must not have holes')
            const c = copy(v[i], depth + 1)
            if (copyValue) arr.push(c)
          }
          out = copyValue ? arr : (v as JsonValue[])
        } else {
          const proto = Object.getPrototypeOf(v)
          if (proto !== Object.prototype && proto !== null) {
            fail(`${proto?.constructor?.name ?? 'class'} instance is not plain JSON`)
          }
          const obj: JsonObject = {}
          for (const k of Object.keys(v)) {
            if (k === '__proto__') fail(`key '__proto__' is not allowed`)
            const c = copy((v as Record<string, unknown>)[k], depth + 1)
            if (copyValue) obj[k] = c
          }
          out = copyValue ? obj : (v as JsonObject)
        }
        seen.delete(v)
        return out
      }
      default:
        return fail(`${typeof v} is not a JSON value`)
    }
  }
  return copy(value, 0)
}

/** Structural equality of two JSON values; shared subtrees short-circuit on identity. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  for (const k of ka) {
    if (!hasOwn.call(b, k) || !deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false
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
