import { getPath, parsePointer, scopePatch, type Patch } from 'patchdb'
import type { Timeline } from './timeline'

/** An entry shown under a pointer filter: its index in the full list and its patch scoped to the pointer. */
export interface Touching {
  readonly index: number
  readonly scoped: Patch
}

/**
 * The entries whose patch changed the value at `pointer`, each with its patch rewritten
 * relative to the pointer by the core's scopePatch (the same rewrite a watcher receives).
 * Throws PatchError for a malformed pointer, which the filter box shows.
 */
export function touching(timeline: Timeline, pointer: string): Touching[] {
  const at = parsePointer(pointer)
  const out: Touching[] = []
  timeline.walk((i, before, after) => {
    const old = getPath(before, at)
    const value = getPath(after, at)
    // Structural sharing: applyPatch keeps an unchanged value (even one replaced by an equal copy) the same object.
    if (old !== value) out.push({ index: i, scoped: scopePatch(timeline.entries[i]!.patch, at, old, value) })
  })
  return out
}
