import { Draft } from './draft'
import { read, type JsonValue } from './json'
import type { Operation, Patch } from './patch'
import { formatPointer, isPrefix, parseIndex, parsePointer, type Segments } from './pointer'

/**
 * Rebasing a patch over a concurrent one (operational transformation on JSON pointers).
 *
 * Each operation is reduced to effects in the document it applies to: an array `insert` or
 * `delete` at an element path, a `write` (replace, object key set or removed), a `read`
 * (copy source, test). Two effects conflict when they touch the same value: one path is
 * the other or an ancestor of it, except that array inserts and deletes only shift the
 * indices of their later siblings. Whatever does not conflict is rebased by shifting
 * indices; whatever does is reported (null), never guessed.
 */

type Kind = 'insert' | 'delete' | 'write' | 'read'
export interface Effect {
  readonly kind: Kind
  /** For insert and delete: the element's path, its last segment a resolved index. */
  readonly path: Segments
}

const isArray = (doc: unknown, at: Segments) => Array.isArray(read(doc, at))

/** Effect of setting (`add`) or removing a value at `path` in `doc`. */
function placeEffect(kind: 'add' | 'remove', path: Segments, doc: unknown): Effect {
  const parent = path.slice(0, -1)
  if (path.length === 0 || !isArray(doc, parent)) return { kind: 'write', path }
  const last = path[path.length - 1]!
  const index = last === '-' ? (read(doc, parent) as unknown[]).length : parseIndex(last)
  return { kind: kind === 'add' ? 'insert' : 'delete', path: [...parent, String(index)] }
}

/**
 * The effects of each operation of `patch` applied to `doc`, in order: each is read in the
 * document as the operations before it left it. One copy-on-write draft serves them all,
 * so a long patch over a large array copies the array once. Throws PatchError if the patch
 * does not apply to `doc`.
 */
export function effectsOfPatch(patch: Patch, doc: unknown): Effect[][] {
  const draft = new Draft(doc, true)
  return patch.map((op, k) => {
    const path = parsePointer(op.path)
    let fx: Effect[]
    if (op.op === 'move') {
      // A removal, then an add whose indices are those of the document after the removal.
      const from = parsePointer(op.from)
      const removed = placeEffect('remove', from, draft.root)
      const value = draft.get(from)
      draft.apply([{ op: 'remove', path: op.from }])
      fx = [removed, placeEffect('add', path, draft.root)]
      draft.apply([{ op: 'add', path: op.path, value: value as JsonValue }])
      return fx
    }
    if (op.op === 'add' || op.op === 'remove') fx = [placeEffect(op.op, path, draft.root)]
    else if (op.op === 'copy') fx = [{ kind: 'read', path: parsePointer(op.from) }, placeEffect('add', path, draft.root)]
    else fx = [{ kind: op.op === 'test' ? 'read' : 'write', path }]
    if (k < patch.length - 1) draft.apply([op])
    return fx
  })
}

const related = (a: Segments, b: Segments) => isPrefix(a, b) || isPrefix(b, a)

/** Whether `a` and `b`, in the same document, touch the same value. */
function conflicts(a: Effect, b: Effect): boolean {
  if (a.kind === 'read' && b.kind === 'read') return false
  // An insert touches no existing value: only a write of its array (or above) conflicts.
  if (a.kind === 'insert') return b.kind === 'insert' ? false : isPrefix(b.path, a.path.slice(0, -1))
  if (b.kind === 'insert') return isPrefix(a.path, b.path.slice(0, -1))
  return related(a.path, b.path)
}

/**
 * `x`'s path in the document after `y` (both given in the same document). Two inserts at
 * one index: the one that goes first (`yFirst`) keeps it, the other moves after it.
 */
function shift(x: Effect, y: Effect, yFirst: boolean): Effect {
  if (y.kind !== 'insert' && y.kind !== 'delete') return x
  const n = y.path.length - 1 // depth of y's array
  if (x.path.length <= n || !isPrefix(y.path.slice(0, n), x.path)) return x
  const i = parseIndex(y.path[n]!)
  const j = parseIndex(x.path[n]!)
  if (j < 0) return x
  let k = j
  if (y.kind === 'insert' && (j > i || (j === i && (yFirst || x.kind !== 'insert')))) k = j + 1
  else if (y.kind === 'delete' && j > i) k = j - 1
  if (k === j) return x
  const path = x.path.slice()
  path[n] = String(k)
  return { kind: x.kind, path }
}

/**
 * Transforms two effect sequences that start from the same document: returns `xs` as it
 * applies after `ys`, and `ys` as it applies after `xs`; null when any two conflict.
 */
function transformEffects(xs: readonly Effect[], ys: readonly Effect[]): [Effect[], Effect[]] | null {
  let cur = xs.slice()
  const ysOut: Effect[] = []
  for (const y0 of ys) {
    let y = y0
    const next: Effect[] = []
    for (const x of cur) {
      if (conflicts(x, y)) return null
      next.push(shift(x, y, true)) // the concurrent change goes first
      y = shift(y, x, false)
    }
    cur = next
    ysOut.push(y)
  }
  return [cur, ysOut]
}

/** `op` with its pointers taken from its rebased effects (see `effectsOfPatch` for the order). */
function rebuild(op: Operation, effects: readonly Effect[]): Operation {
  const last = formatPointer(effects[effects.length - 1]!.path)
  if (op.op === 'move' || op.op === 'copy') return { ...op, from: formatPointer(effects[0]!.path), path: last }
  return { ...op, path: last }
}

/**
 * Rebases `patch` (with `effects`, one list per operation, from `effectsOfPatch` in the
 * document it applies to) over concurrent effects `through` in that same document. Returns
 * the patch and its effects as they apply after `through`, and `through` as it applies
 * after the patch; null on a conflict. Needs no document: effects carry what was read.
 */
export function rebasePatch(
  patch: Patch,
  effects: readonly (readonly Effect[])[],
  through: readonly Effect[],
): { patch: Operation[]; effects: Effect[][]; through: Effect[] } | null {
  const out: Operation[] = []
  const outFx: Effect[][] = []
  let ys = through.slice()
  for (let k = 0; k < patch.length; k++) {
    const r = transformEffects(effects[k]!, ys)
    if (!r) return null
    out.push(rebuild(patch[k]!, r[0]))
    outFx.push(r[0])
    ys = r[1]
  }
  return { patch: out, effects: outFx, through: ys }
}
