import fs from 'node:fs'
import type { LogEntry, Patch } from 'patchdb'
import { crc32 } from './crc32'
import { decodeCbor, encodeCbor } from './codec'
import { CorruptionError, VersionError } from './errors'
import { FORMAT_VERSION } from './format'

/*
 * Snapshot file (format 2), little endian:
 *   0  8  magic "PATCHDB\0"
 *   8  2  format version (a newer one is refused, never guessed at)
 *  10  2  reserved, 0
 *  12  4  schema version of the application's document
 *  16  8  revision id (float64, always a safe integer)
 *  24  4  length n of the body
 *  28  4  CRC-32 of the body
 *  32  4  CRC-32 of bytes [0, 32): the header is checked whole before any field of it is
 *         believed, so a flipped bit in the version reads as damage, not as a newer format
 *  36  n  body: CBOR { value, history: [[id, patch, inverse], ...] } (the newest retained
 *         log entries up to this revision that fit historyBudget, oldest first, so history
 *         survives compaction)
 * Format 1 (read, never written): the same first 28 bytes, then the CBOR document, then a
 * CRC-32 of everything before it.
 * A snapshot is only ever written whole to a temp file, fsynced and renamed, so any damage
 * in one is corruption, never a torn write.
 */
const MAGIC = Buffer.from('PATCHDB\0', 'latin1')
const HEADER = 36
const V1_HEADER = 28

export interface Snapshot {
  id: number
  schemaVersion: number
  value: unknown
  /** Retained revisions up to `id` with their inverses, oldest first (none in format 1). */
  history: LogEntry[]
  format: number
  /** CRC-32 of the header: what MANIFEST names the snapshot by. */
  headerCrc: number
}

/**
 * Bytes of history a snapshot carries at most: twice its document plus 1 MiB. The retained
 * revisions ride along while they cost about as much as the document, so a store whose
 * revisions each replace a large value does not write a hundred copies of it.
 */
const historyBudget = (docBytes: number) => 2 * docBytes + (1 << 20)

export function encodeSnapshot(snap: { id: number; schemaVersion: number; value: unknown; history: readonly LogEntry[] }, maxBody: number): Buffer {
  const doc = encodeCbor(snap.value)
  // What recovery refuses to read is never written (limits.snapshotBytes bounds the body).
  const room = maxBody - BODY_OVERHEAD - doc.length
  if (room < 0) throw new RangeError(`patchdb: the document is ${doc.length} bytes of CBOR, over the snapshot limit of ${maxBody} (limits.snapshotBytes)`)
  // The newest entries that fit the budget (a suffix, so their ids still end at `id`).
  const entries: Uint8Array[] = []
  let budget = Math.min(historyBudget(doc.length), room)
  for (let i = snap.history.length - 1; i >= 0; i--) {
    const e = snap.history[i]!
    const bytes = encodeCbor([e.id, e.patch, e.inverse])
    if ((budget -= bytes.length) < 0) break
    entries.unshift(bytes)
  }
  // CBOR { "value": doc, "history": [entries] }, assembled from the parts encoded above.
  const body = Buffer.concat([CBOR_VALUE_KEY, doc, CBOR_HISTORY_KEY, cborArrayHead(entries.length), ...entries])
  const out = Buffer.alloc(HEADER + body.length)
  MAGIC.copy(out, 0)
  out.writeUInt16LE(FORMAT_VERSION, 8)
  out.writeUInt32LE(snap.schemaVersion, 12)
  out.writeDoubleLE(snap.id, 16)
  out.writeUInt32LE(body.length, 24)
  out.writeUInt32LE(crc32(body), 28)
  out.writeUInt32LE(crc32(out, 0, 32), 32)
  out.set(body, HEADER)
  return out
}

const CBOR_VALUE_KEY = Buffer.from([0xa2, 0x65, ...Buffer.from('value')]) // map of 2, text(5)
const CBOR_HISTORY_KEY = Buffer.from([0x67, ...Buffer.from('history')]) // text(7)
/** Body bytes besides the document and the history entries: both keys and the array head. */
const BODY_OVERHEAD = CBOR_VALUE_KEY.length + CBOR_HISTORY_KEY.length + 5

function cborArrayHead(n: number): Buffer {
  if (n < 24) return Buffer.from([0x80 + n])
  const out = Buffer.alloc(5)
  out[0] = 0x9a // array, 32-bit length
  out.writeUInt32BE(n, 1)
  return out
}

/** The CRC-32 MANIFEST names a snapshot by. */
export const headerCrcOf = (encoded: Uint8Array) => Buffer.from(encoded.buffer, encoded.byteOffset, HEADER).readUInt32LE(32)

/** Reads and checks a snapshot file; the document is decoded CBOR, not yet checked as JSON. */
export function readSnapshot(file: string, maxDoc: number): Snapshot {
  const fail = (offset: number, why: string, cause?: unknown): never => {
    throw new CorruptionError(file, offset, why, { cause })
  }
  const size = fs.statSync(file).size
  if (size > HEADER + maxDoc) throw new RangeError(`patchdb: ${file} is ${size} bytes, over the limit of ${maxDoc} (limits.snapshotBytes)`)
  const bytes = fs.readFileSync(file)
  if (bytes.length < V1_HEADER) fail(bytes.length, `truncated snapshot header (${bytes.length} bytes)`)
  if (!bytes.subarray(0, 8).equals(MAGIC)) fail(0, 'not a patchdb snapshot (bad magic)')
  const format = bytes.readUInt16LE(8)
  const headerIntact = bytes.length >= HEADER && crc32(bytes, 0, 32) === bytes.readUInt32LE(32)
  if (!headerIntact && format !== 1) fail(0, 'header CRC-32 mismatch')
  if (headerIntact && format > FORMAT_VERSION) throw new VersionError('format', file, format, FORMAT_VERSION)
  if (headerIntact && format < 2) fail(8, `format version ${format} with a format 2 header`)
  const start = format === 1 ? V1_HEADER : HEADER
  const length = bytes.readUInt32LE(24)
  if (length > maxDoc) fail(24, `document length ${length} over the limit of ${maxDoc}`)
  const expected = start + length + (format === 1 ? 4 : 0)
  if (bytes.length !== expected) fail(Math.min(bytes.length, start + length), `snapshot is ${bytes.length} bytes, its header says ${expected}`)
  const crcOk = format === 1 ? crc32(bytes, 0, start + length) === bytes.readUInt32LE(start + length) : crc32(bytes, start, start + length) === bytes.readUInt32LE(28)
  if (!crcOk) fail(start, 'CRC-32 mismatch')
  const id = bytes.readDoubleLE(16)
  if (!Number.isSafeInteger(id) || id < 0) fail(16, `revision id ${id} is not a whole number`)
  let body: unknown
  try {
    body = decodeCbor(bytes.subarray(start, start + length))
  } catch (e) {
    fail(start, `undecodable CBOR (${(e as Error).message})`, e)
  }
  const snap = { id, schemaVersion: bytes.readUInt32LE(12), format, headerCrc: format === 1 ? 0 : bytes.readUInt32LE(32) }
  if (format === 1) return { ...snap, value: body, history: [] }
  const { value, history } = (body ?? {}) as { value?: unknown; history?: unknown }
  const entries = Array.isArray(history) ? history.map(toEntry) : undefined
  if (value === undefined || !entries || entries.some((e) => !e) || !consecutive(entries as LogEntry[], id)) {
    fail(start, 'body is not { value, history } with history ending at the snapshot revision')
  }
  return { ...snap, value, history: entries as LogEntry[] }
}

function toEntry(e: unknown): LogEntry | undefined {
  if (!Array.isArray(e) || e.length !== 3) return undefined
  const [id, patch, inverse] = e as [number, Patch, Patch]
  return Number.isSafeInteger(id) && Array.isArray(patch) && Array.isArray(inverse) ? { id, patch, inverse } : undefined
}

const consecutive = (h: LogEntry[], id: number) => h.every((e, i) => e.id === id - h.length + 1 + i)
