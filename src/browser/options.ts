/** Explicit bounds on what is read from IndexedDB and from other tabs (untrusted input). */
export interface BrowserLimits {
  /** Largest patch, as JSON text length, in a log record or a message. Default 1 MiB. */
  patchBytes: number
  /** Largest snapshot document, as JSON text length. Default 64 MiB. */
  snapshotBytes: number
  /** Most log records read at once, and most revisions in one message. Default 100,000. */
  records: number
}

export interface CompactOptions {
  /** Compact when the log holds more records than this. Default 1,000. */
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
  compact?: CompactOptions
  limits?: Partial<BrowserLimits>
  /**
   * IndexedDB durability of each write transaction. Default `'strict'`: `flush()` then
   * means "on disk". `'relaxed'` is faster and may lose the last writes on a power cut.
   */
  durability?: IDBTransactionDurability
  /** Open a database that has bad records: keep the snapshot and the valid log prefix. */
  salvage?: boolean
}

export const DEFAULT_LIMITS: BrowserLimits = { patchBytes: 1 << 20, snapshotBytes: 64 << 20, records: 100_000 }
export const DEFAULT_COMPACT: Required<CompactOptions> = { records: 1000, bytes: 4 << 20 }

/** Length of `value` as JSON text, or -1 when it cannot be JSON (cycle, too deep). */
export function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? -1
  } catch {
    return -1
  }
}
