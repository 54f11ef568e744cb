import fs from 'node:fs'
import { encodeMark } from './codec'
import { crashPoint } from './crash'
import { ReadOnlyError } from './errors'
import type { DiskIO } from './io'
import type { LogFile } from './log-file'

/**
 * How appends become durable:
 * - 'always': apply() writes and fsyncs its record before it returns.
 * - 'batch': apply() queues its record and returns; a group commit, started on the next
 *   turn of the event loop, writes everything queued in one write() and one fsync(), so a
 *   burst of 10,000 applies costs a handful of fsyncs. flush() resolves once every record
 *   queued before it was called is durable.
 * - 'none': as 'batch' without fsync: survives a crash of the process, not of the machine.
 */
export type SyncPolicy = 'always' | 'batch' | 'none'

interface Chunk {
  file: LogFile
  records: Buffer[]
  bytes: number
}

/*
 * Durability rules kept here:
 * 1. Records reach a log in the order they were appended; nothing is written after a record
 *    that failed, so damage can only ever be at the tail.
 * 2. A record is acknowledged (apply returns under 'always', flush resolves under 'batch')
 *    only after fsync of its file (whose directory entry was made durable at creation).
 * 3. A group is written and fsynced before the next group is written, and an older log
 *    before a newer one: a record is never durable while one before it is not.
 * 4. After a group is durable, a commit mark is written after it (not fsynced: the next
 *    group's fsync or close() covers it) before anyone is told. A valid commit mark after
 *    damaged bytes proves they were acknowledged, so recovery reports them instead of
 *    cutting them as a torn tail (docs/storage-format.md).
 * 5. Rotation to a new log appends a rotate mark naming it to the old log; the new log's
 *    header is durable before that mark is written, so a mark never names a missing file.
 * 6. The first I/O error stops all appends for good (fail-stop, the store turns read-only):
 *    after a failed fsync the kernel may have dropped dirty pages, so no later success
 *    could be trusted. The unacknowledged bytes are truncated away if the file still
 *    allows it, so recovery does not bring back a revision whose apply threw.
 */
export class LogWriter {
  private queue: Chunk[] = []
  private readonly retired: LogFile[] = []
  private appended = 0
  private durable = 0
  private readonly waiters: { upTo: number; resolve: () => void; reject: (e: unknown) => void }[] = []
  private draining: Promise<void> | undefined
  failure: ReadOnlyError | undefined

  constructor(
    private readonly dir: string,
    private current: LogFile,
    private readonly policy: SyncPolicy,
    private readonly io: DiskIO,
  ) {}

  get log(): LogFile {
    return this.current
  }

  /** Appends one encoded record; under 'always' it is durable when this returns. */
  append(record: Buffer): void {
    if (this.failure) throw this.failure
    const file = this.current
    if (this.policy === 'always') {
      try {
        this.writeSync(file, record)
        crashPoint('after-append')
        this.io.fsyncSync(file.fd)
        this.writeSync(file, encodeMark({ commit: file.written }))
      } catch (e) {
        throw this.fail(e)
      }
      file.durable = file.written
      file.records++
      this.appended++
      this.durable++
      return
    }
    const last = this.queue[this.queue.length - 1]
    if (last?.file === file) {
      last.records.push(record)
      last.bytes += record.length
    } else {
      this.queue.push({ file, records: [record], bytes: record.length })
    }
    file.appended += record.length
    file.records++
    this.appended++
    this.draining ??= this.drain()
  }

  /** Sends later appends to `next` (a new generation's log, created durably). */
  rotate(next: LogFile): void {
    this.append(encodeMark({ rotate: next.gen }))
    this.retired.push(this.current)
    this.current = next
    if (!this.draining) this.closeRetired()
  }

  /** Resolves when every record appended so far is durable; rejects with the I/O failure. */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.durable >= this.appended) return Promise.resolve()
    return new Promise((resolve, reject) => this.waiters.push({ upTo: this.appended, resolve, reject }))
  }

  /**
   * Flushes, makes the current log's last commit mark durable too, then closes every file;
   * returns how many bytes of the current log are durable (undefined for sync 'none').
   * Rejects with the failure if records could not be written.
   */
  async close(): Promise<number | undefined> {
    try {
      await this.flush()
      if (this.policy === 'none' || this.current.fd < 0) return undefined
      const { fd, durable } = this.current
      await new Promise<void>((resolve, reject) => this.io.fsync(fd, (e) => (e ? reject(this.fail(e)) : resolve())))
      return durable
    } finally {
      this.closeRetired()
      this.closeFile(this.current)
    }
  }

  private async drain(): Promise<void> {
    // One turn of the event loop lets a burst of synchronous applies join the group.
    await new Promise((resolve) => setImmediate(resolve))
    try {
      while (this.queue.length > 0 && !this.failure) {
        const group = this.queue
        const upTo = this.appended
        this.queue = []
        for (const chunk of group) {
          const bytes = chunk.records.length === 1 ? chunk.records[0]! : Buffer.concat(chunk.records, chunk.bytes)
          await this.write(chunk.file, bytes)
          crashPoint('after-append')
          if (this.policy === 'batch') {
            await new Promise<void>((resolve, reject) => this.io.fsync(chunk.file.fd, (e) => (e ? reject(e) : resolve())))
          }
          const mark = encodeMark({ commit: chunk.file.written })
          chunk.file.appended += mark.length
          await this.write(chunk.file, mark)
          chunk.file.durable = chunk.file.written
        }
        this.durable = upTo
        for (let i = this.waiters.length - 1; i >= 0; i--) {
          const w = this.waiters[i]!
          if (w.upTo <= upTo) {
            this.waiters.splice(i, 1)
            w.resolve()
          }
        }
      }
    } catch (e) {
      this.fail(e)
    } finally {
      this.draining = undefined
      this.closeRetired()
    }
  }

  private writeSync(file: LogFile, bytes: Buffer): void {
    crashPoint('torn-write', () => this.io.writeSync(file.fd, bytes, 0, bytes.length >> 1, file.written))
    for (let done = 0; done < bytes.length; ) {
      done += this.io.writeSync(file.fd, bytes, done, bytes.length - done, file.written + done)
    }
    file.written += bytes.length
    file.appended = file.written
  }

  private async write(file: LogFile, bytes: Buffer): Promise<void> {
    crashPoint('torn-write', () => this.io.writeSync(file.fd, bytes, 0, bytes.length >> 1, file.written))
    for (let done = 0; done < bytes.length; ) {
      done += await new Promise<number>((resolve, reject) =>
        this.io.write(file.fd, bytes, done, bytes.length - done, file.written + done, (e, n) => (e ? reject(e) : resolve(n))),
      )
    }
    file.written += bytes.length
  }

  private fail(cause: unknown): ReadOnlyError {
    if (this.failure) return this.failure
    const failure = new ReadOnlyError(this.dir, cause)
    this.failure = failure
    for (const file of [...this.retired, this.current]) {
      if (file.fd < 0) continue
      try {
        this.io.ftruncateSync(file.fd, file.durable)
        this.io.fsyncSync(file.fd)
      } catch {
        // The disk refuses even this: the unacknowledged tail stays and recovery cuts it.
      }
    }
    for (const w of this.waiters.splice(0)) w.reject(failure)
    return failure
  }

  private closeRetired(): void {
    for (const file of this.retired.splice(0)) this.closeFile(file)
  }

  private closeFile(file: LogFile): void {
    if (file.fd < 0) return
    fs.closeSync(file.fd)
    file.fd = -1
  }
}
