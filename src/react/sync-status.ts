import { useSyncExternalStore } from 'react'
import type { SyncStatus } from 'patchdb/client'
import { useBinding } from './context'

/** How a `patchdb/client` store carries its status (a registered symbol: no import of the client here). */
const SYNC_STATUS = Symbol.for('patchdb.syncStatus')

interface StatusSource {
  getStatus(): SyncStatus
  subscribeStatus(fn: () => void): () => void
}

/**
 * The sync status of the provider's store, a `connectStore(...).store`: connection status,
 * pending writes, last error, server revision. Re-renders only when one of them changes.
 * It lives here rather than in patchdb/client so that the client needs no React (it runs in
 * Node as well) and an app reads it from the store it already hands to `<PatchProvider>`.
 */
export function useSyncStatus(): SyncStatus {
  const { store } = useBinding()
  const source = (store as { [SYNC_STATUS]?: StatusSource })[SYNC_STATUS]
  if (!source) throw new Error('useSyncStatus: the PatchProvider\'s store is not synced (give it connectStore(url).store from patchdb/client)')
  return useSyncExternalStore(source.subscribeStatus, source.getStatus, source.getStatus)
}
