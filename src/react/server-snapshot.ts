import { createStore, type JsonValue, type Store } from 'patchdb'

/** The document as of the revision a provider first saw: what `getServerSnapshot` reads. */
export interface ServerSnapshot {
  readonly revision: number
  get(pointer: string): unknown
}

/**
 * Hydration must render exactly what the server rendered, even if the store moved on
 * before `hydrateRoot` ran. Values are immutable and structurally shared, so keeping the
 * first root is enough; while the store has not moved, reads go to the store itself (same
 * references, no copy), and a frozen store over the old root is built only if it has.
 */
export function serverSnapshot(store: Store<JsonValue>): ServerSnapshot {
  const revision = store.revision
  const root = store.get() as JsonValue
  let past: Store<JsonValue> | undefined
  return {
    revision,
    get: (pointer) =>
      store.revision === revision ? store.get(pointer) : (past ??= createStore({ value: root }, { history: 0 })).get(pointer),
  }
}
