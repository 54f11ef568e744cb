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
