import { brandError } from 'patchdb'

/** A record read from IndexedDB is not what this code wrote: the database is not trusted. */
export class CorruptionError extends Error {
  static {
    brandError(this, 'browser.CorruptionError')
  }
  override readonly name = 'CorruptionError'
  constructor(
    /** The IndexedDB database. */
    readonly database: string,
    /** Where: `'snapshot'`, or `'log/<id>'` for a log record. */
    readonly record: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`patchdb/browser: database '${database}', ${record}: ${reason}`, options)
  }
}

/**
 * The writer tab changed (closed, crashed) before it confirmed a forwarded patch: the
 * patch may or may not have been applied. Read the document and retry if needed.
 */
export class WriterChangedError extends Error {
  static {
    brandError(this, 'browser.WriterChangedError')
  }
  override readonly name = 'WriterChangedError'
}

/**
 * A write would break one of `limits` (its patch or the document it makes is longer than
 * `limits.snapshotBytes`). Nothing was applied, in this tab or in IndexedDB.
 */
export class LimitError extends Error {
  static {
    brandError(this, 'browser.LimitError')
  }
  override readonly name = 'LimitError'
  constructor(
    /** Which limit: `'snapshotBytes'`. */
    readonly limit: string,
    message: string,
  ) {
    super(message)
  }
}

/**
 * A follower's forwarded write was not confirmed within `timeout` milliseconds (the writer
 * tab is stuck, gone, or the answer was lost): it may or may not have been applied.
 */
export class TimeoutError extends Error {
  static {
    brandError(this, 'browser.TimeoutError')
  }
  override readonly name = 'TimeoutError'
}
