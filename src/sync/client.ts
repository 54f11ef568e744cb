import type { JsonValue, Store } from 'patchdb'
import { SyncClient, type ConnectOptions, type LeaseGrant } from './client-sync'
import type { SyncError } from './client-errors'
import type { SyncStatus } from './client-status'

/** What connectStore returns. */
export interface SyncedStore<T = JsonValue> {
  /** An ordinary patchdb store: reads, watches, and optimistic writes that the client sends. */
  readonly store: Store<T>
  /** The connection, pending writes and last error; the same object until one changes. */
  readonly status: SyncStatus
  /** Resolves once the server's state (a dump or the revisions since the last visit) is applied. */
  readonly ready: Promise<void>
  /** This client's id (random, kept in a local store across reloads). */
  readonly clientId: string
  /** Resolves when every local write made so far is acknowledged; rejects with the first one refused. */
  synced(): Promise<void>
  /** Exclusive write access to the subtree at `path` for `ttl` ms; rejects with `LEASED` when another client holds it. */
  lease(path: string, options: { ttl: number }): Promise<LeaseGrant>
  /** 'status' on each change of `status`; 'rejected' with each write refused or dropped. Returns unsubscribe. */
  on(event: 'status', fn: () => void): () => void
  on(event: 'rejected', fn: (error: SyncError) => void): () => void
  /**
   * True for a revision of `store` that came from the server (others' writes, or one of this
   * client's writes refused or rebased), false for this client's own writes: an undo
   * manager's `record` option, so that undo never reverts someone else's change.
   */
  isRemote(revision: { readonly id: number }): boolean
  /** Closes the connection for good; pending writes stay in a local store, if one was given. */
  close(): void
}

/**
 * Connects a store to a patchdb server: the store shows the server's document (projected on
 * this client's grants) with this client's pending writes on top, and sends those writes.
 * Reconnects by itself, with exponential backoff and full jitter.
 */
export function connectStore<T = JsonValue>(url: string, options: ConnectOptions = {}): SyncedStore<T> {
  return new SyncClient<T>(url, options)
}

export { SyncError } from './client-errors'
export type { SyncErrorCode } from './client-errors'
export type { ConnectOptions, LeaseGrant, SyncEvent } from './client-sync'
export type { ConnectionStatus, SyncStatus } from './client-status'
export type { BackoffOptions } from './client-backoff'
export { backoffDelay } from './client-backoff'
