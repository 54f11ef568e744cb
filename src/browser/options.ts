import type { StoreOptions } from 'patchdb'

/**
 * Explicit bounds on what this store writes and reads, all as JSON text length. The same
 * limits hold on the way in and on the way out: a write that would break one is refused
 * when it is made (LimitError), so IndexedDB never holds anything a later open refuses.
 * Open a database with the limits it was written with.
 */
export interface BrowserLimits {
  /**
   * Largest patch stored as a log record. A longer revision is written as a snapshot
   * instead, so a record over this is damage. Default 1 MiB.
   */
  patchBytes: number
  /**
   * Largest document, and largest patch of a single write (in any tab: a follower checks
   * its writes with the writer's limit before forwarding them). Default 64 MiB.
   */
  snapshotBytes: number
  /** Most log records kept (the log is compacted before it holds more) and read. Default 100,000. */
  records: number
}

export interface CompactOptions {
  /** Compact when the log holds more records than this (at most `limits.records`). Default 1,000. */
  records?: number
  /** Compact when the log's patches exceed this JSON length. Default 4 MiB. */
  bytes?: number
}

export interface BrowserStoreOptions<T> {
  /** The document of a new, empty database (revision 0). Ignored when the database exists. */
  value?: T
  /** Revisions kept by `log()` (as in the core). */
  history?: number
  /** Freeze values handed out (as in the core). */
  freeze?: boolean
  /** Receives what watchers and subscribers throw (as in the core; default: the console). */
  onError?: StoreOptions['onError']
  compact?: CompactOptions
  limits?: Partial<BrowserLimits>
  /**
   * IndexedDB durability of each write transaction. Default `'strict'`: `flush()` then
   * means "on disk". `'relaxed'` is faster and may lose the last writes on a power cut.
   */
  durability?: IDBTransactionDurability
  /** Open a database that has bad records: keep the snapshot and the valid log prefix. */
  salvage?: boolean
  /**
   * Milliseconds a follower waits for its forwarded write to be confirmed by the writer and
   * read back from IndexedDB; past it, `submit()` (and `flush()`) reject with a
   * `TimeoutError` (the write may or may not have been applied). Default 10,000; `Infinity`: never.
   */
  timeout?: number
}

export const DEFAULT_LIMITS: BrowserLimits = { patchBytes: 1 << 20, snapshotBytes: 64 << 20, records: 100_000 }
export const DEFAULT_COMPACT: Required<CompactOptions> = { records: 1000, bytes: 4 << 20 }
export const DEFAULT_TIMEOUT = 10_000

/** The `timeout` option, checked: milliseconds >= 0, or Infinity for none. */
export function checkTimeout(timeout: unknown = DEFAULT_TIMEOUT): number {
  if (typeof timeout !== 'number' || !(timeout >= 0)) {
    throw new TypeError(`patchdb/browser: timeout must be a number of milliseconds >= 0 (Infinity: never), got ${String(timeout)}`)
  }
  return timeout
}

/** The `limits` option over the defaults, checked: each a whole number > 0 (NaN would turn a bound off). */
export function checkLimits(given: Partial<BrowserLimits> | undefined): BrowserLimits {
  const limits = { ...DEFAULT_LIMITS, ...given }
  for (const [key, n] of Object.entries(limits)) {
    if (!Number.isSafeInteger(n) || n <= 0) throw new TypeError(`patchdb/browser: limits.${key} must be a whole number > 0, got ${String(n)}`)
  }
  return limits
}

/** Length of `value` as JSON text, or -1 when it cannot be JSON (cycle, too deep). */
export function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? -1
  } catch {
    return -1
  }
}
