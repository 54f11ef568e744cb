import type { Revision } from 'patchdb'
import { CorruptionError } from './errors'
import { SNAPSHOT_FORMAT, type RawState, type RawTail } from './idb'
import { jsonLength, type BrowserLimits } from './options'

/** What a database holds, checked: a snapshot and the contiguous log after it. */
export interface PersistedState {
  /** null for a new, empty database. */
  snapshot: { id: number; value: unknown; size: number } | null
  records: Revision[]
  /** Total JSON length of the records' patches (for the compaction threshold). */
  bytes: number
  /** With `salvage`: how many records were dropped, and why. */
  dropped: { count: number; reason: string } | null
  /** The elected writer tab IndexedDB names, or null. */
  writer: string | null
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Longest tab id accepted from IndexedDB or a message (tabs use UUIDs). */
export const MAX_TAB = 64
export const isTab = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_TAB

/** The tab a 'writer' record names, or null (none, or not a record this code wrote). */
export const checkWriter = (raw: unknown): string | null => (isObject(raw) && isTab(raw.tab) ? raw.tab : null)

/**
 * Checks everything read from IndexedDB, which any script of the origin (or an older or
 * newer version of this code) may have written: shapes, ids, contiguity, sizes. Patch and
 * value contents are checked when they are applied to the store (the core validates them).
 */
export function checkState(raw: RawState, database: string, limits: BrowserLimits, salvage: boolean): PersistedState {
  const snapshot = checkSnapshot(raw.snapshot, database, limits)
  const writer = checkWriter(raw.writer)
  if (!snapshot) {
    if (raw.keys.length > 0) throw new CorruptionError(database, 'snapshot', 'missing, but the log has records')
    return { snapshot, records: [], bytes: 0, dropped: null, writer }
  }
  return { snapshot, ...checkLog(raw, snapshot.id + 1, database, limits, salvage), writer }
}

/**
 * Checks the records read after a revision: contiguous from `first`, else null (the log was
 * compacted past them, or something is wrong: the caller reads the whole state).
 */
export function checkTail(raw: RawTail, first: number, database: string, limits: BrowserLimits): { records: Revision[]; bytes: number } | null {
  if (raw.keys.length > 0 && raw.keys[0] !== first) return null
  try {
    return checkLog(raw, first, database, limits, false)
  } catch {
    return null
  }
}

function checkLog(raw: { keys: IDBValidKey[]; records: unknown[] }, first: number, database: string, limits: BrowserLimits, salvage: boolean) {
  const records: Revision[] = []
  let bytes = 0
  let dropped: PersistedState['dropped'] = null
  for (let i = 0; i < raw.records.length; i++) {
    const why = i >= limits.records ? `more than limits.records (${limits.records}) log records` : checkRecord(raw.keys[i], raw.records[i], first + i, limits)
    if (why) {
      const error = new CorruptionError(database, `log/${String(raw.keys[i])}`, why)
      if (!salvage) throw error
      dropped = { count: raw.records.length - i, reason: error.message }
      break
    }
    const record = raw.records[i] as Revision
    records.push({ id: record.id, patch: record.patch })
    bytes += jsonLength(record.patch)
  }
  return { records, bytes, dropped }
}

function checkSnapshot(raw: unknown, database: string, limits: BrowserLimits): PersistedState['snapshot'] {
  if (raw === undefined) return null
  const fail = (why: string): never => {
    throw new CorruptionError(database, 'snapshot', why)
  }
  if (!isObject(raw)) return fail('not a snapshot record')
  if (typeof raw.format === 'number' && raw.format > SNAPSHOT_FORMAT) {
    fail(`written by a newer patchdb (format ${raw.format}; this code reads format ${SNAPSHOT_FORMAT})`)
  }
  if (raw.format !== SNAPSHOT_FORMAT) fail(`unknown format ${String(raw.format)}`)
  if (!Number.isSafeInteger(raw.id) || (raw.id as number) < 0) fail(`bad revision id ${String(raw.id)}`)
  const size = jsonLength(raw.value)
  if (size < 0) fail('the document is not JSON')
  if (size > limits.snapshotBytes) fail(`the document is ${size} long, over limits.snapshotBytes (${limits.snapshotBytes})`)
  return { id: raw.id as number, value: raw.value, size }
}

/** Why a log record is bad, or '' when it is fine. */
function checkRecord(key: IDBValidKey | undefined, record: unknown, expected: number, limits: BrowserLimits): string {
  if (!isObject(record)) return 'not a revision record'
  if (record.id !== key) return `key ${String(key)} does not match id ${String(record.id)}`
  if (record.id !== expected) return `expected revision ${expected}, found ${String(record.id)} (the log must follow the snapshot without gaps)`
  if (!Array.isArray(record.patch)) return 'patch is not an array'
  const size = jsonLength(record.patch)
  if (size < 0) return 'patch is not JSON'
  if (size > limits.patchBytes) return `patch is ${size} long, over limits.patchBytes (${limits.patchBytes})`
  return ''
}
