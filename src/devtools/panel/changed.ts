import type { Patch } from 'patchdb'

/** The pointers a patch writes (its paths, and the sources moves take from), in order, without repeats. */
export function changedPointers(patch: Patch): string[] {
  const out = new Set<string>()
  for (const op of patch) {
    if (op.op === 'test') continue
    if (op.op === 'move') out.add(op.from)
    out.add(op.path)
  }
  return [...out]
}

/** Every pointer on the way to a changed one (the root included), for highlighting a tree. */
export function changedAncestors(patch: Patch): Set<string> {
  const out = new Set<string>()
  for (const p of changedPointers(patch)) {
    let at = p
    for (;;) {
      out.add(at)
      if (at === '') break
      at = at.slice(0, at.lastIndexOf('/'))
    }
  }
  return out
}

/** A value on one line, shortened: the panel never stringifies a whole large subtree. */
export function preview(value: unknown, max = 120): string {
  if (value === undefined) return '(missing)'
  if (Array.isArray(value)) return value.length > 20 ? `Array(${value.length})` : clip(JSON.stringify(value), max)
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value)
    return keys.length > 20 ? `{${keys.length} keys}` : clip(JSON.stringify(value), max)
  }
  return clip(JSON.stringify(value), max)
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s)
