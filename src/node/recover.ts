import fs from 'node:fs'
import path from 'node:path'
import { applyPatch, createStore, type Patch, type Revision } from 'patchdb'
import { readRecord, validRecordAfter } from './codec'
import { CorruptionError } from './errors'
import { listDir, logName, snapName } from './files'
import type { Limits } from './limits'
import { readSnapshot } from './snapshot'

/** What open found on disk and did about it. */
export interface RecoveryReport {
  /** The revision the store opened at. */
  revision: number
  /** The snapshot the document came from; undefined for a new store. */
  snapshot?: string
  /** Log records replayed on top of it. */
  replayed: number
  /** Torn tails cut off: unacknowledged writes a crash interrupted. */
  truncated: { file: string; offset: number; bytes: number }[]
  /** With `salvage: true` only: damaged data left out, and why. */
  dropped: { file: string; offset: number; bytes: number; reason: string }[]
  /** Set when migrations ran. */
  migrated?: { from: number; to: number }
}

interface ScannedLog {
  gen: number
  file: string
  fd: number
  size: number
  records: { revision: Revision; offset: number }[]
  /** Where whole, valid records end; the rest is the torn tail or the damage. */
  end: number
  /** Bad bytes at `offset`; `followed` when a valid record comes after them in this file. */
  damage?: { offset: number; reason: string; followed: boolean }
}

export interface Recovered {
  /** The document; undefined when the directory holds no store yet. */
  dump?: { id: number; value: unknown }
  schemaVersion: number
  /** Highest generation on disk. */
  generation: number
  /** Generation of the snapshot used: older files are obsolete. */
  base: number
  /** The log to keep appending to (open, truncated to whole records), if any. */
  tail?: { gen: number; file: string; fd: number; size: number; records: number }
  /** Salvage dropped data: the caller must write a clean generation before appending. */
  salvaged: boolean
  report: RecoveryReport
}

/** A patch that is one root `replace`: how a dump loaded with `update` is logged. */
const isDump = (patch: Patch) => patch.length === 1 && patch[0]!.op === 'replace' && patch[0]!.path === ''

/** Patches replayed per copy-on-write pass (bounded to keep argument lists small). */
const CHUNK = 8192

/*
 * Recovery rules kept here:
 * 1. The newest snapshot is the base; logs of its generation or later are replayed, in
 *    order; nothing is rewritten, only a torn tail cut.
 * 2. Bad bytes with no valid record after them, in this log or a later one, are a torn
 *    tail: a write the crash interrupted, never acknowledged (acknowledgement follows
 *    fsync, and later groups are written only after earlier ones are durable). The tail is
 *    truncated through the open handle and fsynced, so appends never follow garbage.
 * 3. Bad bytes followed by a valid record are damage to acknowledged data: CorruptionError
 *    with the file and offset, unless `salvage`, which keeps the records before the damage
 *    and reports the rest as dropped.
 * 4. A record must carry the next id (a logged dump may jump ahead) and apply cleanly; one
 *    that does not, though its CRC matched, is damage as in 3.
 * 5. Everything decoded is checked as plain JSON by the core before it is used.
 */
export function recover(dir: string, limits: Limits, salvage: boolean): Recovered {
  const { snaps, logs } = listDir(dir)
  const generation = Math.max(0, ...snaps, ...logs)
  const report: RecoveryReport = { revision: 0, replayed: 0, truncated: [], dropped: [] }
  if (snaps.length === 0) {
    const nonEmpty = logs.find((g) => fs.statSync(path.join(dir, logName(g))).size > 0)
    if (nonEmpty !== undefined) throw new CorruptionError(path.join(dir, logName(nonEmpty)), 0, 'log without any snapshot')
    return { schemaVersion: 0, generation, base: generation, salvaged: false, report }
  }
  const base = snaps[0]!
  const snapFile = path.join(dir, snapName(base))
  const snap = readSnapshot(snapFile, limits.snapshotBytes)
  let value: unknown
  try {
    value = createStore({ value: snap.value }, { history: 0, freeze: false }).get()
  } catch (e) {
    throw new CorruptionError(snapFile, 28, `document is not plain JSON (${(e as Error).message})`, { cause: e })
  }
  report.snapshot = snapFile

  const scanned = logs.filter((g) => g >= base).map((g) => scanLog(dir, g, limits))
  try {
    // Everything up to the first damage that is not a torn tail (rules 2, 3).
    const entries: { revision: Revision; offset: number; log: ScannedLog }[] = []
    let stop: { log: ScannedLog; offset: number; reason: string } | undefined
    for (const [i, log] of scanned.entries()) {
      for (const r of log.records) entries.push({ ...r, log })
      const d = log.damage
      if (d && (d.followed || scanned.slice(i + 1).some((s) => s.records.length > 0))) {
        stop = { log, offset: d.offset, reason: d.reason }
        break
      }
    }
    // Ids in sequence (rule 4).
    let id = snap.id
    for (const [i, e] of entries.entries()) {
      const { id: next, patch } = e.revision
      if (next !== id + 1 && !(isDump(patch) && next >= id)) {
        stop = { log: e.log, offset: e.offset, reason: `revision ${next} where ${id + 1} was due` }
        entries.length = i
        break
      }
      id = next
    }
    // Replay: one copy-on-write pass per chunk; on failure, one by one to find the culprit.
    for (let k = 0; k < entries.length; k += CHUNK) {
      const chunk = entries.slice(k, k + CHUNK)
      try {
        value = applyPatch(value, ...chunk.map((e) => e.revision.patch)).value
      } catch {
        for (const [j, e] of chunk.entries()) {
          try {
            value = applyPatch(value, e.revision.patch).value
          } catch (err) {
            stop = { log: e.log, offset: e.offset, reason: `revision ${e.revision.id} does not apply (${(err as Error).message})` }
            entries.length = k + j
            break
          }
        }
        break
      }
    }
    id = entries.length > 0 ? entries[entries.length - 1]!.revision.id : snap.id
    report.revision = id
    report.replayed = entries.length
    const dump = { id, value }
    if (stop) {
      if (!salvage) throw new CorruptionError(stop.log.file, stop.offset, stop.reason)
      report.dropped.push({ file: stop.log.file, offset: stop.offset, bytes: stop.log.size - stop.offset, reason: stop.reason })
      for (const later of scanned.slice(scanned.indexOf(stop.log) + 1)) {
        if (later.size > 0) report.dropped.push({ file: later.file, offset: 0, bytes: later.size, reason: 'follows dropped data' })
      }
      for (const log of scanned) fs.closeSync(log.fd)
      return { dump, schemaVersion: snap.schemaVersion, generation, base, salvaged: true, report }
    }
    // Only torn tails remain: cut them through the open handle, then fsync.
    for (const log of scanned) {
      if (log.end < log.size) {
        fs.ftruncateSync(log.fd, log.end)
        fs.fsyncSync(log.fd)
        report.truncated.push({ file: log.file, offset: log.end, bytes: log.size - log.end })
      }
    }
    const last = scanned.pop()
    for (const log of scanned) fs.closeSync(log.fd)
    const tail = last && { gen: last.gen, file: last.file, fd: last.fd, size: last.end, records: last.records.length }
    return { dump, schemaVersion: snap.schemaVersion, generation, base, tail, salvaged: false, report }
  } catch (e) {
    for (const log of scanned) fs.closeSync(log.fd)
    throw e
  }
}

function scanLog(dir: string, gen: number, limits: Limits): ScannedLog {
  const file = path.join(dir, logName(gen))
  const fd = fs.openSync(file, 'r+')
  const size = fs.fstatSync(fd).size
  if (size > limits.logBytes) {
    fs.closeSync(fd)
    throw new RangeError(`patchdb: ${file} is ${size} bytes, over the replay limit of ${limits.logBytes} (limits.logBytes)`)
  }
  const bytes = Buffer.allocUnsafe(size)
  for (let done = 0; done < size; ) done += fs.readSync(fd, bytes, done, size - done, done)
  const log: ScannedLog = { gen, file, fd, size, records: [], end: 0 }
  let offset = 0
  while (offset < size) {
    const read = readRecord(bytes, offset, limits.recordBytes)
    if ('error' in read) {
      if (read.overLimit) {
        fs.closeSync(fd)
        throw new RangeError(`patchdb: ${file} at byte ${offset}: ${read.error}`)
      }
      log.damage = { offset, reason: read.error, followed: validRecordAfter(bytes, offset + 1, limits.recordBytes) }
      break
    }
    log.records.push({ revision: read.revision, offset })
    offset = read.next
  }
  log.end = offset
  return log
}
