/** Where the connection is: 'connecting' until the server's state is applied, then 'online'. */
export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'closed'

/** What a UI shows (useSyncStatus): the same object until one of its fields changes. */
export interface SyncStatus {
  readonly status: ConnectionStatus
  /** Local writes the server has not acknowledged yet. */
  readonly pending: number
  /** The last thing that went wrong (a refused write, a dropped connection, a bad frame), or null. */
  readonly error: Error | null
  /** The server revision the client's document is at. */
  readonly revision: number
}

/** A source of status snapshots, as useSyncExternalStore wants one. */
export interface StatusSource {
  getStatus(): SyncStatus
  subscribeStatus(fn: () => void): () => void
}

/**
 * Where a client's store carries its status source, for `useSyncStatus()` in patchdb/react.
 * A registered symbol, so that patchdb/react finds it without importing patchdb/client.
 */
export const SYNC_STATUS = Symbol.for('patchdb.syncStatus')
