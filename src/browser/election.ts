/*
 * One writer per database, elected with Web Locks: the tab that holds the exclusive lock
 * 'patchdb:' + name writes IndexedDB; the browser releases the lock when that tab closes
 * or crashes, and the next waiting tab gets it.
 */

/** Releases a held lock. */
export type Release = () => void

/**
 * Requests the lock and resolves once it is held, with the function that releases it; or
 * with null when `ifAvailable` is set and another tab holds it. Rejects with an AbortError
 * when `signal` aborts the wait.
 */
export function acquire(locks: LockManager, name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }): Promise<Release | null> {
  return new Promise((resolve, reject) => {
    locks
      .request(name, { mode: 'exclusive', ...options }, (lock) => {
        if (!lock) return resolve(null)
        // The lock is held until the promise returned here settles.
        return new Promise<void>((release) => resolve(() => release()))
      })
      .catch(reject)
  })
}

export function lockManager(): LockManager {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks
  if (!locks) throw new Error('patchdb/browser needs the Web Locks API (navigator.locks, in secure contexts)')
  return locks
}
