import fs from 'node:fs'
import path from 'node:path'
import { crc32 } from './crc32'
import { CorruptionError, VersionError } from './errors'
import { fsyncDirSync, logName } from './files'
import { FORMAT_VERSION } from './format'

/*
 * Log file (format 2): a header, then records (codec.ts). Header, little endian:
 *   0  8  magic "PATCHLOG"
 *   8  2  format version
 *  10  6  reserved, 0
 *  16  8  generation (float64): must match the file name, so a log from elsewhere is caught
 *  24  8  revision the log starts after (float64): the generation's snapshot revision
 *  32  4  CRC-32 of bytes [0, 32), checked before any field is believed
 * The header is written and fsynced, and the directory fsynced, when the log is created,
 * before anything can name the log. Format 1 logs had no header: their first bytes are a
 * record length, which can never spell "PATC" (over any record limit).
 */
const MAGIC = Buffer.from('PATCHLOG', 'latin1')
export const LOG_HEADER = 36

/** An open log file and how far it has got. */
export interface LogFile {
  readonly gen: number
  readonly path: string
  fd: number
  /** Bytes handed to the writer (written or queued): where the next record goes. */
  appended: number
  /** Bytes written to the file. */
  written: number
  /** Bytes acknowledged: the end of the last commit mark (for sync 'none', written). */
  durable: number
  records: number
}

function encodeHeader(gen: number, after: number): Buffer {
  const out = Buffer.alloc(LOG_HEADER)
  MAGIC.copy(out, 0)
  out.writeUInt16LE(FORMAT_VERSION, 8)
  out.writeDoubleLE(gen, 16)
  out.writeDoubleLE(after, 24)
  out.writeUInt32LE(crc32(out, 0, 32), 32)
  return out
}

/**
 * Creates the log of a new generation (never an existing file: 'wx'), starting after
 * revision `after`. Its header and directory entry are durable when this returns.
 */
export function createLog(dir: string, gen: number, after: number): LogFile {
  const file = path.join(dir, logName(gen))
  const fd = fs.openSync(file, 'wx')
  try {
    fs.writeSync(fd, encodeHeader(gen, after), 0, LOG_HEADER, 0)
    fs.fsyncSync(fd)
    fsyncDirSync(dir)
  } catch (e) {
    // Gone again, so that a later attempt can create it ('wx') and recovery never sees half a header.
    fs.closeSync(fd)
    fs.rmSync(file, { force: true })
    throw e
  }
  return { gen, path: file, fd, appended: LOG_HEADER, written: LOG_HEADER, durable: LOG_HEADER, records: 0 }
}

/** Wraps a recovered log, already checked and truncated to `size` bytes of whole records. */
export function reopenLog(gen: number, file: string, fd: number, size: number, records: number): LogFile {
  return { gen, path: file, fd, appended: size, written: size, durable: size, records }
}

/** Whether `bytes` start like a format 2 log (else it is a format 1 log, or damaged). */
export const hasLogMagic = (bytes: Uint8Array) => bytes.length >= 8 && Buffer.from(bytes.buffer, bytes.byteOffset, 8).equals(MAGIC)

/** Checks a format 2 log's header; returns the revision the log starts after. */
export function readLogHeader(bytes: Buffer, file: string, gen: number): number {
  if (bytes.length < LOG_HEADER) throw new CorruptionError(file, bytes.length, `truncated log header (${bytes.length} of ${LOG_HEADER} bytes)`)
  if (crc32(bytes, 0, 32) !== bytes.readUInt32LE(32)) throw new CorruptionError(file, 0, 'log header CRC-32 mismatch')
  if (!hasLogMagic(bytes)) throw new CorruptionError(file, 0, 'not a patchdb log (bad magic)')
  const format = bytes.readUInt16LE(8)
  if (format > FORMAT_VERSION) throw new VersionError('format', file, format, FORMAT_VERSION)
  const after = bytes.readDoubleLE(24)
  if (format < 2 || bytes.readDoubleLE(16) !== gen || !Number.isSafeInteger(after) || after < 0) {
    throw new CorruptionError(file, 8, `log header does not belong to generation ${gen}`)
  }
  return after
}
