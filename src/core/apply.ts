import { Draft } from './draft'
import { read } from './json'
import type { Patch } from './patch'
import { toSegments, type Path } from './pointer'

/**
 * Applies patches to a document without a store: returns the new document (sharing every
 * untouched subtree with `doc`) and the inverse patch. Throws PatchError, leaving `doc` as is.
 * Several patches are applied as one, which is how a log replays fast. Unlike a store's
 * document, this one may be absent (`undefined`): scoped patches add and remove their root.
 */
export function applyPatch<T = unknown>(doc: T, ...patches: Patch[]): { value: T; inverse: Patch } {
  const draft = new Draft(doc, true)
  for (const p of patches) draft.apply(p)
  const { value, inverse } = draft.finish(false)
  return { value: value as T, inverse }
}

/** The value at `path` in a document, without a store: `undefined` when missing. */
export function getPath(doc: unknown, path: Path): unknown {
  return read(doc, toSegments(path))
}
