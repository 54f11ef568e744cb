import fs from 'node:fs'
import path from 'node:path'
import { logName } from './files'

/** An open log file and how far it has got. */
export interface LogFile {
  readonly gen: number
  readonly path: string
  fd: number
  /** Bytes handed to the writer (written or queued): where the next record goes. */
  appended: number
  /** Bytes written to the file. */
  written: number
  /** Bytes known durable (fsynced; for sync 'none', written). */
  durable: number
  records: number
  /** False until the directory entry of a newly created log has been fsynced. */
  dirSynced: boolean
}

/** Creates the log of a new generation (never an existing file: 'wx'). */
export function createLog(dir: string, gen: number): LogFile {
  const file = path.join(dir, logName(gen))
  return { gen, path: file, fd: fs.openSync(file, 'wx'), appended: 0, written: 0, durable: 0, records: 0, dirSynced: false }
}

/** Wraps a recovered log, already checked and truncated to `size` bytes of whole records. */
export function reopenLog(gen: number, file: string, fd: number, size: number, records: number): LogFile {
  return { gen, path: file, fd, appended: size, written: size, durable: size, records, dirSynced: true }
}
