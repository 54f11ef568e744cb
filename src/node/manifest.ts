import fs from 'node:fs'
import path from 'node:path'
import { crc32 } from './crc32'
import { CorruptionError, VersionError } from './errors'
import { MANIFEST, writeDurably } from './files'
import { FORMAT_VERSION } from './format'

/*
 * MANIFEST, little endian, 48 bytes:
 *   0  8  magic "PATCHMAN"
 *   8  2  format version
 *  10  2  reserved, 0
 *  12  4  CRC-32 of the snapshot's header (which covers its revision and its document's CRC)
 *  16  8  generation g (float64): `<g>.snap` is the base, `<g>.log` must exist
 *  24  8  revision id of `<g>.snap` (float64)
 *  32  8  bytes of `<g>.log` known acknowledged (float64): the log must be at least this
 *         long, all whole records (the header's size after a compaction; its full length
 *         after a clean close)
 *  40  4  reserved, 0
 *  44  4  CRC-32 of bytes [0, 44)
 * It is only ever replaced whole (temp, fsync, rename, directory fsync), so any damage is
 * corruption. The CRC is checked before anything else is believed, the version included.
 */
const MAGIC = Buffer.from('PATCHMAN', 'latin1')
const SIZE = 48

export interface Manifest {
  generation: number
  revision: number
  snapshotCrc: number
  logBytes: number
}

export function encodeManifest(m: Manifest): Buffer {
  const out = Buffer.alloc(SIZE)
  MAGIC.copy(out, 0)
  out.writeUInt16LE(FORMAT_VERSION, 8)
  out.writeUInt32LE(m.snapshotCrc, 12)
  out.writeDoubleLE(m.generation, 16)
  out.writeDoubleLE(m.revision, 24)
  out.writeDoubleLE(m.logBytes, 32)
  out.writeUInt32LE(crc32(out, 0, SIZE - 4), SIZE - 4)
  return out
}

/** The directory's manifest; undefined when there is none. */
export function readManifest(dir: string): Manifest | undefined {
  const file = path.join(dir, MANIFEST)
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(file)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
  // A later format may grow the file; it keeps the CRC of everything before it at its end.
  if (bytes.length < SIZE || bytes.length > 4096) throw new CorruptionError(file, Math.min(bytes.length, SIZE), `manifest is ${bytes.length} bytes`)
  if (crc32(bytes, 0, bytes.length - 4) !== bytes.readUInt32LE(bytes.length - 4)) throw new CorruptionError(file, 0, 'CRC-32 mismatch')
  if (!bytes.subarray(0, 8).equals(MAGIC)) throw new CorruptionError(file, 0, 'not a patchdb manifest (bad magic)')
  const format = bytes.readUInt16LE(8)
  if (format > FORMAT_VERSION) throw new VersionError('format', file, format, FORMAT_VERSION)
  const m = { snapshotCrc: bytes.readUInt32LE(12), generation: bytes.readDoubleLE(16), revision: bytes.readDoubleLE(24), logBytes: bytes.readDoubleLE(32) }
  const whole = (n: number) => Number.isSafeInteger(n) && n >= 0
  if (format < 2 || bytes.length !== SIZE || !whole(m.generation) || !whole(m.revision) || !whole(m.logBytes)) {
    throw new CorruptionError(file, 8, 'fields out of range')
  }
  return m
}

export function writeManifest(dir: string, m: Manifest): Promise<void> {
  return writeDurably(dir, MANIFEST, encodeManifest(m), ['manifest-temp-written', 'manifest-renamed'])
}
