import type { JsonValue } from './json'
import type { Operation, Patch } from './patch'
import { formatPointer, isPrefix, parseIndex, parsePointer, type Segments } from './pointer'

/**
 * Rewrites `patch` relative to the pointer `at`, so that applying the result to the old
 * value at `at` gives `value`, the new one. Operations below `at` keep their shape with
 * shortened paths; operations elsewhere are dropped; anything that replaces, shifts or
 * feeds the value at `at` from outside becomes one root operation carrying `value`.
 */
export function scopePatch(patch: Patch, at: Segments, old: unknown, value: unknown): Patch {
  if (at.length === 0) return patch
  const out: Operation[] = []
  for (const op of patch) {
    const path = parsePointer(op.path)
    const below = isBelow(path, at)
    if (op.op === 'test') {
      if (below) out.push({ ...op, path: relative(path, at) })
      continue
    }
    if (reaches(op.op !== 'replace', path, at)) return rootPatch(old, value)
    if (op.op === 'move' || op.op === 'copy') {
      const from = parsePointer(op.from)
      if (op.op === 'move' && reaches(true, from, at)) return rootPatch(old, value)
      const fromBelow = isBelow(from, at)
      if (below && fromBelow) out.push({ ...op, from: relative(from, at), path: relative(path, at) })
      else if (below) return rootPatch(old, value) // the value comes from outside the scope
      else if (fromBelow && op.op === 'move') out.push({ op: 'remove', path: relative(from, at) })
      continue
    }
    if (below) out.push({ ...op, path: relative(path, at) })
  }
  return out
}

/** The one-operation patch that turns `old` into `value` at the root. */
function rootPatch(old: unknown, value: unknown): Patch {
  if (value === undefined) return [{ op: 'remove', path: '' }]
  return [{ op: old === undefined ? 'add' : 'replace', path: '', value: value as JsonValue }]
}

export const isBelow = (path: Segments, at: Segments): boolean => path.length > at.length && isPrefix(at, path)
const relative = (path: Segments, at: Segments) => formatPointer(path.slice(at.length))

/**
 * Whether an operation writing at `path` changes the value at `at` from above: it writes
 * `at` or an ancestor, or (when it inserts or removes, `shifts`) it moves the array index
 * on the way to `at`. Unknown shapes count as reaching, which is always correct.
 */
export function reaches(shifts: boolean, path: Segments, at: Segments): boolean {
  if (isPrefix(path, at)) return true
  const last = path.length - 1
  if (!shifts || last >= at.length || !isPrefix(path.slice(0, last), at)) return false
  const target = parseIndex(at[last])
  if (target < 0) return false
  const key = path[last]
  return key === '-' || (parseIndex(key) >= 0 && parseIndex(key) <= target)
}
