/*
 * The writer's path to IndexedDB. Durability rules kept here:
 * - beforeCommit queues each revision before it is visible; a group commit writes all
 *   queued revisions in one transaction, so a burst of applies costs a few transactions.
 * - A revision is "durable" once its transaction reports complete; only then are other
 *   tabs told, and they read it from IndexedDB, so followers never run ahead of the database.
 * - Compaction (log past a threshold, `compact()`, an id jump from a loaded dump, a patch
 *   too large for a log record) writes the snapshot of the latest queued revision and
 *   deletes the whole log in the same transaction: never half a compaction.
 * - The log never holds more than `limits.records` records nor a record over
 *   `limits.patchBytes`: what the writer stores, a later open reads (same limits in and out).
 * - A failed write makes the store read-only: the next write and every flush get the cause.
 */
import type { Revision } from 'patchdb'
import { writeBatch } from './idb'
import type { BrowserLimits, CompactOptions } from './options'

export interface PersisterConfig {
  db: IDBDatabase
  name: string
  durability: IDBTransactionDurability
  compact: Required<CompactOptions>
  limits: BrowserLimits
  /** After each committed batch that holds revisions: the last durable revision. */
  onDurable(revision: number): void
}

interface Waiter {
  id: number
  resolve(): void
  reject(e: unknown): void
}

export class Persister {
  private queue: { revision: Revision; size: number; jump: boolean }[] = []
  private lastId: number
  private lastValue: unknown
  private durableId: number
  private records: number
  private bytes: number
  private writing = false
  private compactWanted = false
  private failure: Error | null = null
  private waiters: Waiter[] = []
  private compactWaiters: Waiter[] = []

  /** `start`: the state IndexedDB holds now (revision, its document, the log's size). */
  constructor(
    private readonly config: PersisterConfig,
    start: { id: number; value: unknown; records: number; bytes: number },
  ) {
    this.lastId = this.durableId = start.id
    this.lastValue = start.value
    this.records = start.records
    this.bytes = start.bytes
  }

  /** Queues a revision (from beforeCommit), `size` its patch's JSON length; throwing aborts it. */
  enqueue(revision: Revision, value: unknown, size: number): void {
    if (this.failure) throw this.failure
    this.queue.push({ revision: { id: revision.id, patch: revision.patch }, size, jump: revision.id !== this.lastId + 1 })
    this.lastId = revision.id
    this.lastValue = value
    this.schedule()
  }

  /** Resolves when revision `id` is durable. */
  durable(id: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.durableId >= id) return Promise.resolve()
    return new Promise((resolve, reject) => this.waiters.push({ id, resolve, reject }))
  }

  /** Resolves when everything queued so far is durable. */
  flush(): Promise<void> {
    return this.durable(this.lastId)
  }

  /** Writes a snapshot of the latest revision and empties the log. */
  compact(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure)
    this.compactWanted = true
    const done = new Promise<void>((resolve, reject) => this.compactWaiters.push({ id: 0, resolve, reject }))
    this.schedule()
    return done
  }

  private schedule(): void {
    if (this.writing || (this.queue.length === 0 && !this.compactWanted)) return
    this.writing = true
    // A microtask later, so a synchronous burst of applies lands in one transaction.
    queueMicrotask(() => void this.run())
  }

  private async run(): Promise<void> {
    const batch = this.queue.splice(0)
    const revs = batch.map((b) => b.revision)
    const id = this.lastId
    const value = this.lastValue
    const added = batch.reduce((a, b) => a + b.size, 0)
    const { compact, limits } = this.config
    const unfit = batch.some((b) => b.jump || b.size < 0 || b.size > limits.patchBytes)
    const snapshot =
      unfit ||
      this.compactWanted ||
      this.records + revs.length > Math.min(compact.records, limits.records) ||
      this.bytes + added > compact.bytes
    const compactWaiters = this.compactWaiters.splice(0)
    this.compactWanted = false
    try {
      await writeBatch(this.config.db, this.config.durability, snapshot ? { records: [], snapshot: { id, value } } : { records: revs })
    } catch (e) {
      this.fail(e, compactWaiters)
      return
    }
    this.records = snapshot ? 0 : this.records + revs.length
    this.bytes = snapshot ? 0 : this.bytes + added
    this.durableId = id
    this.writing = false
    if (revs.length > 0) this.config.onDurable(id)
    const waiting = this.waiters
    this.waiters = waiting.filter((w) => w.id > id)
    for (const w of waiting) if (w.id <= id) w.resolve()
    for (const w of compactWaiters) w.resolve()
    this.schedule()
  }

  private fail(cause: unknown, compactWaiters: Waiter[]): void {
    this.failure = new Error(`patchdb/browser: writing IndexedDB '${this.config.name}' failed; the store is read-only now`, { cause })
    for (const w of [...this.waiters, ...compactWaiters, ...this.compactWaiters]) w.reject(this.failure)
    this.waiters = []
    this.compactWaiters = []
    this.queue = []
  }
}
