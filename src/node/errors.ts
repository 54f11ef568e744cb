import { brandError } from 'patchdb'

/** A second opener of a store directory, from this process or another one. */
export class LockedError extends Error {
  static {
    brandError(this, 'node.LockedError')
  }
  override readonly name = 'LockedError'
  constructor(
    readonly dir: string,
    /** The process holding the lock. */
    readonly pid: number,
  ) {
    super(
      `patchdb: ${dir} is open in process ${pid}${pid === process.pid ? ' (this process: by another openStore, maybe of another copy of patchdb, or another thread)' : ''}; ` +
        'close it there first (a lock left by a dead process is taken over automatically)',
    )
  }
}

/** Bytes on disk that are not what patchdb wrote, at a place that is not a torn tail. */
export class CorruptionError extends Error {
  static {
    brandError(this, 'node.CorruptionError')
  }
  override readonly name = 'CorruptionError'
  constructor(
    readonly file: string,
    readonly offset: number,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`patchdb: ${file} is corrupt at byte ${offset}: ${reason} (open with { salvage: true } to keep what is readable)`, options)
  }
}

/** Data written by a newer patchdb (format) or a newer version of the application (schema). */
export class VersionError extends Error {
  static {
    brandError(this, 'node.VersionError')
  }
  override readonly name = 'VersionError'
  constructor(
    readonly kind: 'format' | 'schema',
    readonly file: string,
    readonly stored: number,
    readonly supported: number,
  ) {
    super(
      kind === 'format'
        ? `patchdb: ${file} has format version ${stored}; this patchdb reads up to ${supported}: upgrade patchdb`
        : `patchdb: ${file} has schema version ${stored}, newer than this code's ${supported}: refusing to open it with older code`,
    )
  }
}

/**
 * A write to a store that takes none: opened with `{ readOnly: true }` (no cause), or stopped
 * accepting writes after an I/O error while appending (the cause). Reads, watchers and
 * close() still work; every revision that flush() acknowledged is on disk.
 */
export class ReadOnlyError extends Error {
  static {
    brandError(this, 'node.ReadOnlyError')
  }
  override readonly name = 'ReadOnlyError'
  constructor(
    readonly dir: string,
    cause?: unknown,
  ) {
    super(
      cause === undefined
        ? `patchdb: ${dir} was opened with { readOnly: true }: it takes no writes`
        : `patchdb: ${dir} is read-only after a write failure (${(cause as Error)?.message ?? cause}); ` +
            'revisions acknowledged by flush() are safe: fix the cause and reopen the store',
      cause === undefined ? undefined : { cause },
    )
  }
}

/** A write to a store after close(). */
export class StoreClosedError extends Error {
  static {
    brandError(this, 'node.StoreClosedError')
  }
  override readonly name = 'StoreClosedError'
  constructor(readonly dir: string) {
    super(`patchdb: the store at ${dir} is closed; open it again to write`)
  }
}
