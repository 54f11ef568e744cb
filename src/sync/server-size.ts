import type { JsonValue } from 'patchdb'

/**
 * Sizes of the document's nodes, kept per node: the server's values are immutable and share
 * structure, so after a write only the new nodes (the written values and the objects above
 * them) are measured; the rest is looked up.
 */
const sizes = new WeakMap<object, number>()

/** The length of `value` as JSON text (UTF-16 code units, as `maxFrame` counts a text frame). */
export function jsonSize(value: JsonValue): number {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? JSON.stringify(value).length : String(value).length
  const known = sizes.get(value)
  if (known !== undefined) return known
  let n = 2 // the brackets
  if (Array.isArray(value)) {
    for (const v of value) n += jsonSize(v) + 1
  } else {
    for (const k of Object.keys(value)) n += JSON.stringify(k).length + 2 + jsonSize(value[k]!)
  }
  sizes.set(value, n)
  return n
}
