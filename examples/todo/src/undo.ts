import type { Revision, Store } from 'patchdb'

/**
 * Undo over the store's log: applies the inverse patch of the latest revision that is
 * neither an undo itself nor already undone. Undoing newest-first keeps every inverse
 * applicable, since the state is back to just after the revision it undoes.
 */
export function createUndo<T>(store: Store<T>) {
  const undos = new Set<number>() // revisions made by undo
  const undone = new Set<number>() // revisions undone
  const next = () => {
    const log = store.log()
    for (let k = log.length - 1; k >= 0; k--) if (!undos.has(log[k]!.id) && !undone.has(log[k]!.id)) return log[k]
    return undefined
  }
  return {
    canUndo: () => next() !== undefined,
    undo(): Revision | null {
      const entry = next()
      if (!entry) return null
      const revision = store.apply(entry.inverse)
      undone.add(entry.id)
      if (revision) undos.add(revision.id)
      return revision
    },
  }
}
