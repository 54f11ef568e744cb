/*
 * The IndexedDB layout, version 1:
 *   object store 'meta', key 'snapshot' -> { format: 1, id, value }: the document at revision id
 *   object store 'meta', key 'writer'   -> { tab }: the tab elected writer (written under its
 *                                          Web Lock), so other tabs can tell its messages from forgeries
 *   object store 'log',  key id          -> { id, patch }: every revision after the snapshot
 * A write is one transaction over both stores, so a snapshot and the log it replaces are
 * never seen half-written, and a reader's transaction sees one consistent state.
 */
import type { Revision } from 'patchdb'

export const DB_VERSION = 1
export const SNAPSHOT_FORMAT = 1
const META = 'meta'
const LOG = 'log'
const SNAPSHOT_KEY = 'snapshot'
const WRITER_KEY = 'writer'

export interface RawState {
  snapshot: unknown
  keys: IDBValidKey[]
  records: unknown[]
  /** The 'writer' record, unchecked. */
  writer: unknown
}

/** The log records after revision `after`, and the 'writer' record: what a follower reads to catch up. */
export interface RawTail {
  keys: IDBValidKey[]
  records: unknown[]
  writer: unknown
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error)
  })
}

function completion(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'))
  })
}

export async function openDatabase(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  const open = factory.open(name, DB_VERSION)
  open.onupgradeneeded = () => {
    const db = open.result
    if (!db.objectStoreNames.contains(META)) db.createObjectStore(META)
    if (!db.objectStoreNames.contains(LOG)) db.createObjectStore(LOG)
  }
  const db = await request(open)
  if (!db.objectStoreNames.contains(META) || !db.objectStoreNames.contains(LOG)) {
    db.close()
    throw new Error(`patchdb/browser: IndexedDB database '${name}' exists but was not made by patchdb (no 'meta'/'log' stores)`)
  }
  return db
}

/** Reads the snapshot and up to `max` log records in one read-only transaction. */
export async function readRaw(db: IDBDatabase, max: number): Promise<RawState> {
  const tx = db.transaction([META, LOG], 'readonly')
  const log = tx.objectStore(LOG)
  const [snapshot, keys, records, writer] = await Promise.all([
    request(tx.objectStore(META).get(SNAPSHOT_KEY)),
    request(log.getAllKeys(null, max)),
    request(log.getAll(null, max)),
    request(tx.objectStore(META).get(WRITER_KEY)),
  ])
  return { snapshot, keys, records, writer }
}

/** Reads up to `max` log records after revision `after`, and the 'writer' record, in one transaction. */
export async function readTail(db: IDBDatabase, after: number, max: number): Promise<RawTail> {
  const tx = db.transaction([META, LOG], 'readonly')
  const log = tx.objectStore(LOG)
  const range = IDBKeyRange.lowerBound(after, true)
  const [keys, records, writer] = await Promise.all([
    request(log.getAllKeys(range, max)),
    request(log.getAll(range, max)),
    request(tx.objectStore(META).get(WRITER_KEY)),
  ])
  return { keys, records, writer }
}

export interface Batch {
  records: readonly Revision[]
  /** When set, replaces the snapshot and deletes the whole log (the snapshot includes it). */
  snapshot?: { id: number; value: unknown }
  /** When set, records the elected writer tab (null: none). */
  writer?: string | null
}

/** Writes one batch atomically; resolves when IndexedDB reports it committed. */
export function writeBatch(db: IDBDatabase, durability: IDBTransactionDurability, batch: Batch): Promise<void> {
  const tx = db.transaction([META, LOG], 'readwrite', { durability })
  const done = completion(tx)
  try {
    const log = tx.objectStore(LOG)
    if (batch.snapshot) {
      const { id, value } = batch.snapshot
      tx.objectStore(META).put({ format: SNAPSHOT_FORMAT, id, value }, SNAPSHOT_KEY)
      // Every record is at or before the snapshot, or a bad one salvage left behind.
      log.clear()
    }
    for (const r of batch.records) log.put({ id: r.id, patch: r.patch }, r.id)
    if (batch.writer !== undefined) {
      if (batch.writer === null) tx.objectStore(META).delete(WRITER_KEY)
      else tx.objectStore(META).put({ tab: batch.writer }, WRITER_KEY)
    }
  } catch (e) {
    // A put that throws (unclonable value, closed database) must not commit the rest.
    done.catch(() => {})
    tx.abort()
    return Promise.reject(e)
  }
  return done
}
