import fs from 'node:fs'
import path from 'node:path'
import { crashPoint } from './crash'
import { crc32 } from './crc32'
import { decodeCbor, encodeCbor } from './codec'
import { CorruptionError, VersionError } from './errors'
import { fsyncDir } from './files'

/*
 * Snapshot file, little endian:
 *   0  8  magic "PATCHDB\0"
 *   8  2  format version (FORMAT_VERSION; a newer one is refused, never guessed at)
 *  10  2  reserved, 0
 *  12  4  schema version of the application's document
 *  16  8  revision id (float64, always a safe integer)
 *  24  4  length n of the CBOR document
 *  28  n  CBOR document
 *  28+n 4 CRC-32 of bytes [0, 28+n)
 * A snapshot is only ever written whole to a temp file, fsynced and renamed, so any damage
 * in one is corruption, never a torn write.
 */
const MAGIC = Buffer.from('PATCHDB\0', 'latin1')
export const FORMAT_VERSION = 1
const HEADER = 28

export interface Snapshot {
  id: number
  schemaVersion: number
  value: unknown
}

export function encodeSnapshot(snap: Snapshot): Buffer {
  const doc = encodeCbor(snap.value)
  const out = Buffer.alloc(HEADER + doc.length + 4)
  MAGIC.copy(out, 0)
  out.writeUInt16LE(FORMAT_VERSION, 8)
  out.writeUInt32LE(snap.schemaVersion, 12)
  out.writeDoubleLE(snap.id, 16)
  out.writeUInt32LE(doc.length, 24)
  out.set(doc, HEADER)
  out.writeUInt32LE(crc32(out, 0, HEADER + doc.length), HEADER + doc.length)
  return out
}

/** Reads and checks a snapshot file; the document is decoded CBOR, not yet checked as JSON. */
export function readSnapshot(file: string, maxDoc: number): Snapshot {
  const fail = (offset: number, why: string, cause?: unknown): never => {
    throw new CorruptionError(file, offset, why, { cause })
  }
  const size = fs.statSync(file).size
  if (size > HEADER + maxDoc + 4) throw new RangeError(`patchdb: ${file} is ${size} bytes, over the limit of ${maxDoc} (limits.snapshotBytes)`)
  const bytes = fs.readFileSync(file)
  if (bytes.length < HEADER) fail(bytes.length, `truncated snapshot header (${bytes.length} of ${HEADER} bytes)`)
  if (!bytes.subarray(0, 8).equals(MAGIC)) fail(0, 'not a patchdb snapshot (bad magic)')
  const format = bytes.readUInt16LE(8)
  if (format > FORMAT_VERSION) throw new VersionError('format', file, format, FORMAT_VERSION)
  const length = bytes.readUInt32LE(24)
  if (length > maxDoc) fail(24, `document length ${length} over the limit of ${maxDoc}`)
  if (bytes.length !== HEADER + length + 4) fail(Math.min(bytes.length, HEADER + length), `snapshot is ${bytes.length} bytes, its header says ${HEADER + length + 4}`)
  if (crc32(bytes, 0, HEADER + length) !== bytes.readUInt32LE(HEADER + length)) fail(HEADER, 'CRC-32 mismatch')
  const id = bytes.readDoubleLE(16)
  if (!Number.isSafeInteger(id) || id < 0) fail(16, `revision id ${id} is not a whole number`)
  let value: unknown
  try {
    value = decodeCbor(bytes.subarray(HEADER, HEADER + length))
  } catch (e) {
    fail(HEADER, `undecodable CBOR (${(e as Error).message})`, e)
  }
  return { id, schemaVersion: bytes.readUInt32LE(12), value }
}

/**
 * Durably installs `bytes` as `dir/name`: temp file, fsync, rename, fsync of the directory.
 * Until the rename the old state is untouched; after the directory fsync the new file
 * survives a power cut. Only then may the caller delete what it replaces.
 */
export async function writeDurably(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  const temp = path.join(dir, `${name}.tmp`)
  const handle = await fs.promises.open(temp, 'w')
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } catch (e) {
    await handle.close()
    await fs.promises.rm(temp, { force: true })
    throw e
  }
  await handle.close()
  crashPoint('snapshot-temp-written')
  await fs.promises.rename(temp, path.join(dir, name))
  crashPoint('after-rename')
  await fsyncDir(dir)
}
