import { MAX_DEPTH } from './depth'
import { PatchError } from './errors'
import { deepEqual, isObject, isPlainObject, type JsonValue } from './json'
import type { Operation } from './patch'
import { formatPointer } from './pointer'

/**
 * A small patch that turns `a` into `b`, appended to `out` under the pointer `base`.
 * Shared subtrees are skipped on identity, so diffing a new version against the store's
 * own document costs only what differs. Arrays keep their common head and tail and edit
 * the middle in place, so one insertion is one `add`, not a rewrite of every later row.
 * Only plain objects are walked: anything else in `b` (a class instance, a Map) is
 * replaced whole, so that applying the patch refuses it. Inputs nested past MAX_DEPTH are
 * refused (`TOO_DEEP`), as a store would refuse them.
 */
export function diff(a: unknown, b: JsonValue, base = '', out: Operation[] = []): Operation[] {
  return walk(a, b, base, out, 0)
}

function walk(a: unknown, b: JsonValue, base: string, out: Operation[], depth: number): Operation[] {
  if (a === b) return out
  if (depth > MAX_DEPTH) throw new PatchError('TOO_DEEP', `values nested deeper than ${MAX_DEPTH} cannot be diffed`, -1, base)
  if (isObject(a) && isPlainObject(b)) {
    for (const k of Object.keys(a)) if (!Object.hasOwn(b, k)) out.push({ op: 'remove', path: base + formatPointer([k]) })
    for (const k of Object.keys(b)) {
      const bv = b[k]!
      if (a[k] === bv && Object.hasOwn(a, k)) continue // unchanged: no pointer to build
      const path = base + formatPointer([k])
      if (Object.hasOwn(a, k)) walk(a[k], bv, path, out, depth + 1)
      else out.push({ op: 'add', path, value: bv })
    }
    return out
  }
  if (Array.isArray(a) && Array.isArray(b)) return diffArrays(a, b, base, out, depth)
  if (a === undefined) out.push({ op: 'add', path: base, value: b })
  else if (!deepEqual(a, b)) out.push({ op: 'replace', path: base, value: b })
  return out
}

function diffArrays(a: unknown[], b: JsonValue[], base: string, out: Operation[], depth: number): Operation[] {
  // Emptying or filling an array is one replace, not an operation per item (clearing 1,000
  // rows was 1,000 removes to apply, record and dispatch).
  if ((a.length === 0 || b.length === 0) && a.length + b.length > 1) {
    out.push({ op: 'replace', path: base, value: b })
    return out
  }
  let head = 0
  const min = Math.min(a.length, b.length)
  while (head < min && deepEqual(a[head], b[head])) head++
  let tail = 0
  while (tail < min - head && deepEqual(a[a.length - 1 - tail], b[b.length - 1 - tail])) tail++
  const aEnd = a.length - tail
  const bEnd = b.length - tail
  const common = Math.min(aEnd, bEnd)
  for (let i = head; i < common; i++) walk(a[i], b[i]!, `${base}/${i}`, out, depth + 1)
  for (let i = aEnd - 1; i >= common; i--) out.push({ op: 'remove', path: `${base}/${i}` })
  for (let i = common; i < bEnd; i++) out.push({ op: 'add', path: `${base}/${i}`, value: b[i]! })
  return out
}
