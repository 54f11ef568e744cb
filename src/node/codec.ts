import { Decoder, Encoder } from 'cbor-x'
import type { Revision } from 'patchdb'
import { crc32 } from './crc32'
import { scanFrames } from './frame-scan'

// Plain CBOR maps and arrays, no cbor-x record extension: the files stay readable by any
// CBOR decoder, and decoding never builds anything but plain objects (a map with a key that
// would not be a safe property decodes to a Map, which the core then refuses as non-JSON).
const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, variableMapSize: true })
const decoder = new Decoder({ useRecords: false, mapsAsObjects: true })

/** CBOR of a value, copied out: cbor-x hands out views of a buffer that later calls reuse. */
export function encodeCbor(value: unknown): Uint8Array {
  return encoder.encode(value).slice()
}

/** Maps decode to Map here: their keys exactly as stored (cbor-x renames `__proto__` on objects). */
const exact = new Decoder({ useRecords: false, mapsAsObjects: false })
const PROTO = Buffer.from('__proto__', 'latin1')

/**
 * Decodes CBOR, refusing a map with the key `__proto__`: cbor-x would hand it out renamed
 * `__proto_`, a silent change, and patchdb never writes one (the core refuses the key), so
 * one on disk is damage or forgery. A key's text is contiguous in the bytes (cbor-x has no
 * chunked strings), so only bytes that hold it pay for the exact decode that tells a key
 * from a string value.
 */
export function decodeCbor(bytes: Uint8Array): unknown {
  const value = decoder.decode(bytes)
  if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(PROTO) && hasProtoKey(exact.decode(bytes))) {
    throw new Error("a map has the key '__proto__', which patchdb never writes")
  }
  return value
}

function hasProtoKey(root: unknown): boolean {
  const stack = [root]
  while (stack.length > 0) {
    const node = stack.pop()
    if (node instanceof Map) {
      if (node.has('__proto__')) return true
      for (const v of node.values()) stack.push(v)
    } else if (Array.isArray(node)) for (const v of node) stack.push(v)
  }
  return false
}

/*
 * Log record: u32 LE length of the body · body · u32 LE CRC-32 of the length field and the
 * body. The CRC covers the length too, so a flipped bit in a length is caught by the record
 * itself, not only by what follows it. The body is CBOR of one of:
 *   { id, patch }   a revision
 *   { commit: n }   a commit mark at byte n of its log: every record before it was
 *                   acknowledged (format 2; see docs/storage-format.md)
 *   { rotate: g }   appends continue in the log of generation g (format 2)
 */
export const RECORD_OVERHEAD = 8

/** A record that is not a revision: see above. */
export type LogMark = { commit: number } | { rotate: number }

export function encodeRecord(revision: Revision, maxBody: number): Buffer {
  const body = encoder.encode({ id: revision.id, patch: revision.patch }) // copied into `out` below
  if (body.length > maxBody) {
    throw new RangeError(`patchdb: revision ${revision.id} is ${body.length} bytes of CBOR, over the record limit of ${maxBody}`)
  }
  return frame(body)
}

export function encodeMark(mark: LogMark): Buffer {
  return frame(encoder.encode(mark))
}

function frame(body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(body.length + RECORD_OVERHEAD)
  out.writeUInt32LE(body.length, 0)
  out.set(body, 4)
  out.writeUInt32LE(crc32(out, 0, 4 + body.length), 4 + body.length)
  return out
}

export type RecordRead = { revision: Revision; next: number } | { mark: LogMark; next: number } | { error: string; overLimit?: boolean }

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0

/** Reads the record at `offset`; an error says why the bytes there are not a whole, valid record. */
export function readRecord(bytes: Uint8Array, offset: number, maxBody: number): RecordRead {
  if (bytes.length - offset < RECORD_OVERHEAD) return { error: 'incomplete record header' }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const length = view.getUint32(offset, true)
  const end = offset + 4 + length
  const whole = end + 4 <= bytes.length && crc32(bytes, offset, end) === view.getUint32(end, true)
  // A whole record over the limit is real data, never a torn tail to cut: say so.
  if (length > maxBody) return { error: `record of ${length} bytes is over the limit of ${maxBody} (limits.recordBytes)`, overLimit: whole }
  if (length === 0) return { error: 'record of length 0' }
  if (end + 4 > bytes.length) return { error: 'record runs past the end of the file' }
  if (!whole) return { error: 'CRC-32 mismatch' }
  let value: unknown
  try {
    value = decodeCbor(bytes.subarray(offset + 4, end))
  } catch (e) {
    return { error: `undecodable CBOR (${(e as Error).message})` }
  }
  const rev = value as Revision
  const keys = typeof rev === 'object' && rev !== null ? Object.keys(rev) : []
  if (keys.length === 1 && keys[0] === 'commit' && isCount((rev as { commit?: unknown }).commit)) return { mark: value as LogMark, next: end + 4 }
  if (keys.length === 1 && keys[0] === 'rotate' && isCount((rev as { rotate?: unknown }).rotate)) return { mark: value as LogMark, next: end + 4 }
  if (typeof rev !== 'object' || rev === null || !Number.isSafeInteger(rev.id) || rev.id < 0 || !Array.isArray(rev.patch)) {
    return { error: 'record is not a revision { id, patch }' }
  }
  return { revision: { id: rev.id, patch: rev.patch }, next: end + 4 }
}

/**
 * Where the first whole, valid record at or after `from` starts, or -1. This is what tells
 * a torn tail (garbage up to the end: a write that never finished) from damage in the middle
 * (valid records, commit marks above all, after the bad bytes: data that was acknowledged
 * and then broken). Linear in the bytes scanned, whatever lengths the garbage claims.
 */
export function findRecord(bytes: Uint8Array, from: number, maxBody: number): number {
  // A frame whose CRC matches but whose body is no record was forged (or is a 2^-32 fluke):
  // reading each costs its length, so past a linear budget the next such frame is returned
  // as it is, whole data that is no torn write, and callers see its error when they read it.
  let forged = 4 * (bytes.length - from) + (1 << 16)
  return scanFrames(bytes, from, maxBody, (p) => {
    const read = readRecord(bytes, p, maxBody)
    return !('error' in read) || (forged -= bytes.length - p) < 0
  })
}
