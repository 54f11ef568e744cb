import { applyPatch, getPath, PatchError, type Patch } from 'patchdb'

/**
 * The pointers a patch writes (its paths, and the sources moves take from), in order,
 * without repeats. An append (`/list/-`) is named by the index it took, found by stepping
 * the patch over `before` (the document it applied to).
 */
export function changedPointers(patch: Patch, before: unknown): string[] {
  const out = new Set<string>()
  let doc = before
  for (const op of patch) {
    if (op.op === 'move') out.add(op.from)
    if (op.op !== 'test') out.add(op.path.endsWith('/-') ? appended(doc, op.path) : op.path)
    try {
      doc = applyPatch(doc, [op]).value
    } catch (e) {
      if (!(e instanceof PatchError)) throw e
    }
  }
  return [...out]
}

function appended(doc: unknown, path: string): string {
  const parent = path.slice(0, -2)
  const list = getPath(doc, parent)
  return Array.isArray(list) ? `${parent}/${list.length}` : path
}

/** Every pointer on the way to one `changedPointers` names (the root included), for highlighting a tree. */
export function changedAncestors(pointers: readonly string[]): Set<string> {
  const out = new Set<string>()
  for (const p of pointers) {
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
