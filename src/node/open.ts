import fs from 'node:fs'
import { createStore, extendStore, type JsonValue, type LogEntry, type Store, type StoreOptions } from 'patchdb'
import { encodeRecord } from './codec'
import { ReadOnlyError, StoreClosedError, VersionError } from './errors'
import { removeObsolete, snapName, writeDurably } from './files'
import { nodeIO, type DiskIO } from './io'
import { checkLimits, type Limits } from './limits'
import { acquireLock } from './lock'
import { createLog, LOG_HEADER, reopenLog } from './log-file'
import { LogWriter, type SyncPolicy } from './log-writer'
import { recover, type RecoveryReport } from './recover'
import { writeManifest, type Manifest } from './manifest'
import { encodeSnapshot, headerCrcOf } from './snapshot'

export interface OpenOptions<T> {
  /** The document of a new store (an empty directory). Default `{}`. */
  value?: T
  /** When a revision is durable: see SyncPolicy. Default 'batch'. */
  sync?: SyncPolicy
  /** Compact when the current log passes either bound. Defaults: 64 MiB, 100,000 records. */
  compact?: { maxBytes?: number; maxRecords?: number }
  /** The application's document schema version, stored in snapshots. Default 0. */
  schemaVersion?: number
  /** `migrate[v]` turns a version v-1 document into version v; run in order on open. */
  migrate?: Record<number, (doc: any) => unknown>
  /** Open past damaged log records: keep what is readable, report the rest in `recovery.dropped`. */
  salvage?: boolean
  /**
   * Revisions kept in memory for log()/valueAt(), as the core's option. They are rebuilt on
   * open from the log and the snapshot, so undo and time travel go on across a restart.
   */
  history?: number
  /** Freeze values handed out, as the core's option. */
  freeze?: boolean
  /** Receives what watchers and subscribers throw, as the core's option (default: the console). */
  onError?: StoreOptions['onError']
  /** Size bounds on what is read from disk. */
  limits?: Partial<Limits>
  /** The file calls of the log writer (tests inject failures here). Default node:fs. */
  io?: DiskIO
  /**
   * Open an existing store for reading only: nothing in the directory is created, changed or
   * locked (a read-only or full disk is fine), a torn tail is left out but not cut, and
   * every write (apply, set, transact, update, compact) throws a ReadOnlyError. While another
   * process writes the store, what it has not yet flushed is not seen.
   */
  readOnly?: boolean
}

export interface DurableStore<T = JsonValue> extends Store<T> {
  readonly dir: string
  /** What open found on disk and did about it. */
  readonly recovery: RecoveryReport
  /** Resolves when every revision applied so far is durable; rejects with a ReadOnlyError. */
  flush(): Promise<void>
  /** Writes a snapshot of the current revision and starts a new log. */
  compact(): Promise<void>
  /**
   * Flushes, then releases the directory. Idempotent: every call returns the same promise,
   * which rejects with the ReadOnlyError if revisions could not be written.
   */
  close(): Promise<void>
}

/**
 * Opens (or creates) the durable store in directory `dir`: recovers the document from the
 * newest snapshot and the logs after it, runs migrations, and returns the core store API
 * whose every revision is appended to the log before anyone can see it.
 */
/** Log bytes kept free for the commit and rotate marks that may follow the last revision. */
const MARKS_ROOM = 64

export async function openStore<T = JsonValue>(dir: string, options: OpenOptions<T> = {}): Promise<DurableStore<T>> {
  const limits = checkLimits(options.limits)
  const policy = options.sync ?? 'batch'
  if (!['always', 'batch', 'none'].includes(policy)) throw new TypeError(`patchdb: sync must be 'always', 'batch' or 'none', got ${policy}`)
  const schemaVersion = options.schemaVersion ?? 0
  const maxBytes = options.compact?.maxBytes ?? 64 << 20
  const maxRecords = options.compact?.maxRecords ?? 100_000
  const readOnly = options.readOnly ?? false
  const root = openDir(dir, readOnly)
  const release = readOnly ? () => {} : acquireLock(root)
  let tailFd: number | undefined // the recovered log's handle until a writer owns it
  try {
    const keep = options.history ?? 100
    const found = recover(root, limits, options.salvage ?? false, keep, readOnly)
    tailFd = found.tail?.fd
    let { dump, schemaVersion: stored } = found
    let generation = found.generation
    if (stored > schemaVersion) throw new VersionError('schema', found.report.snapshot ?? root, stored, schemaVersion)
    const fresh = dump === undefined
    if (fresh && readOnly) throw new Error(`patchdb: ${root} holds no store to open read-only`)
    if (fresh) {
      dump = { id: 0, value: options.value ?? {} }
      stored = schemaVersion
    }
    if (stored < schemaVersion) {
      let value = dump!.value
      for (let v = stored + 1; v <= schemaVersion; v++) value = options.migrate?.[v]?.(value) ?? value
      dump = { id: dump!.id, value }
      found.report.migrated = { from: stored, to: schemaVersion }
    }
    // Validates (and copies) the document before anything is written. The history is
    // rebuilt by replaying the last revisions onto the document before them (not appended:
    // they are on disk already); a migrated document starts a history of its own.
    let replaying = false
    const rebuild = !fresh && !found.report.migrated
    const store = createStore<T>((rebuild ? found.history.base : dump) as { id: number; value: T }, { history: options.history, freeze: options.freeze, onError: options.onError, beforeCommit })
    if (rebuild) {
      replaying = true
      for (const r of found.history.revisions) {
        const op = r.patch[0]
        const jump = r.id !== store.revision + 1 && r.patch.length === 1 && op?.op === 'replace' && op.path === ''
        store.update(jump ? { id: r.id, value: op.value as T } : r)
      }
      replaying = false
      if (store.revision !== dump!.id) throw new Error(`patchdb: rebuilding the history of ${root} ended at revision ${store.revision}, not ${dump!.id}`)
    }
    if (readOnly) {
      if (tailFd !== undefined) fs.closeSync(tailFd)
      return readOnlyStore(store, root, found.report)
    }

    // A new store, a migrated, salvaged or upgraded one starts a clean generation, durable
    // before the first append; otherwise appends continue the recovered log, nothing rewritten.
    const io = options.io ?? nodeIO
    let writer: LogWriter
    let manifest: Manifest
    let snapshotRevision = store.revision
    if (fresh || found.rewrite || found.report.migrated || !found.tail) {
      if (tailFd !== undefined) fs.closeSync(tailFd)
      tailFd = undefined
      generation++
      const log = createLog(root, generation, store.revision)
      try {
        manifest = await seal(generation, store.revision, store.get(), store.log())
      } catch (e) {
        fs.closeSync(log.fd)
        throw e
      }
      removeObsolete(root, generation)
      writer = new LogWriter(root, log, policy, io)
    } else {
      const t = found.tail
      writer = new LogWriter(root, reopenLog(t.gen, t.file, t.fd, t.size, t.records), policy, io)
      tailFd = undefined
      manifest = found.manifest!
      if (found.renameBase) await writeManifest(root, manifest)
      removeObsolete(root, found.base)
    }

    let closed: Promise<void> | undefined
    let compacting: Promise<void> | undefined
    let autoCompact = false

    /** Makes generation `gen` the base: its snapshot, then MANIFEST naming it (its log exists). */
    async function seal(gen: number, id: number, value: unknown, history: readonly LogEntry[]): Promise<Manifest> {
      const bytes = encodeSnapshot({ id, schemaVersion, value, history }, limits.snapshotBytes)
      await writeDurably(root, snapName(gen), bytes, ['snapshot-temp-written', 'after-rename'])
      const next = { generation: gen, revision: id, snapshotCrc: headerCrcOf(bytes), logBytes: LOG_HEADER }
      await writeManifest(root, next)
      return next
    }

    function beforeCommit(entry: LogEntry): void {
      if (replaying) return
      if (readOnly) throw new ReadOnlyError(root)
      if (closed) throw new StoreClosedError(root)
      const record = encodeRecord(entry, limits.recordBytes)
      const log = writer.log
      // A log recovery would refuse to replay is never written: the write is refused instead
      // (room is kept for the marks), and compaction starts by half of limits.logBytes.
      if (log.appended + record.length + MARKS_ROOM > limits.logBytes) {
        throw new RangeError(`patchdb: revision ${entry.id} would take ${log.path} past the replay limit of ${limits.logBytes} bytes (limits.logBytes); compaction has not caught up`)
      }
      writer.append(record)
      if (!autoCompact && !compacting && (log.appended >= Math.min(maxBytes, limits.logBytes / 2) || log.records >= maxRecords)) {
        autoCompact = true
        setImmediate(() => {
          autoCompact = false
          if (!closed) compact().catch((e: Error) => process.emitWarning(`patchdb: compaction of ${root} failed: ${e.message}`))
        })
      }
    }

    /*
     * Compaction rules kept here:
     * 1. The document and revision are captured, and appends switched to the new
     *    generation's log, in one synchronous step: the new log holds exactly the revisions
     *    after the snapshot. Values are immutable, so capturing is O(1); the only pause of
     *    apply is the snapshot encode.
     * 2. The snapshot goes to a temp file, is fsynced, renamed, and the directory fsynced
     *    (writeDurably). Until then recovery uses the previous snapshot and both logs.
     * 3. Only then are the previous generation's files deleted.
     */
    function compact(): Promise<void> {
      if (closed) return Promise.reject(new StoreClosedError(root))
      if (writer.failure) return Promise.reject(writer.failure)
      compacting ??= (async () => {
        const id = store.revision
        const value = store.valueAt(id) // the record, not what devtools may be showing
        const history = store.log()
        if (id === snapshotRevision && writer.log.records === 0) return
        const gen = generation + 1
        writer.rotate(createLog(root, gen, id))
        generation = gen
        // The old log ends with its rotate mark before the snapshot is written: a crash
        // from here on leaves a chain that names every log in it.
        await writer.flush()
        manifest = await seal(gen, id, value, history)
        snapshotRevision = id
        removeObsolete(root, gen)
      })().finally(() => {
        compacting = undefined
      })
      return compacting
    }

    function close(): Promise<void> {
      closed ??= (async () => {
        try {
          await compacting?.catch(() => undefined)
          const durable = await writer.close()
          // After a clean close MANIFEST also records how long the log is: a log cut short
          // at a record boundary is then caught, not taken for an earlier crash.
          if (durable !== undefined && writer.log.gen === manifest.generation && durable > manifest.logBytes) {
            await writeManifest(root, { ...manifest, logBytes: durable })
          }
        } finally {
          release()
        }
      })()
      return closed
    }

    const durable: DurableStore<T> = Object.freeze(
      extendStore(store, {
        dir: root,
        recovery: found.report,
        flush: () => writer.flush(),
        compact,
        close,
      }),
    )
    return durable
  } catch (e) {
    if (tailFd !== undefined) fs.closeSync(tailFd)
    release()
    throw e
  }
}

/** Creates `dir` if needed (unless read-only) and returns its real path; a file in its place fails clearly. */
function openDir(dir: string, readOnly: boolean): string {
  try {
    if (!readOnly) fs.mkdirSync(dir, { recursive: true })
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new Error(`patchdb: ${dir} is not a directory (a store is a directory)`, { cause: e })
    throw e
  }
  if (!fs.statSync(dir).isDirectory()) throw new Error(`patchdb: ${dir} is not a directory (a store is a directory)`)
  return fs.realpathSync(dir)
}

/** A store opened with `readOnly`: no writer, nothing to flush, no lock to release. */
function readOnlyStore<T>(store: Store<T>, root: string, recovery: RecoveryReport): DurableStore<T> {
  return Object.freeze(
    extendStore(store, {
      dir: root,
      recovery,
      flush: () => Promise.resolve(),
      compact: () => Promise.reject(new ReadOnlyError(root)),
      close: () => Promise.resolve(),
    }),
  )
}
