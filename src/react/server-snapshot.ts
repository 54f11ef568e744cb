import { getPath, type JsonValue, type Store } from 'patchdb'

/** The document as of the revision a provider first saw: what `getServerSnapshot` reads. */
export interface ServerSnapshot {
  readonly revision: number
  get(pointer: string): unknown
}

/**
 * Hydration must render exactly what the server rendered, even if the store moved on
 * before `hydrateRoot` ran. Values are immutable and structurally shared, so keeping the
 * first root is enough: reads go to the store while it has not moved, to that root after.
 */
export function serverSnapshot(store: Store<JsonValue>): ServerSnapshot {
  const revision = store.revision
  const root = store.get()
  return { revision, get: (pointer) => (store.revision === revision ? store.get(pointer) : getPath(root, pointer)) }
}
