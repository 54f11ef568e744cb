import fs from 'node:fs'
import path from 'node:path'
import { applyPatch, createStore, type Patch, type Revision } from 'patchdb'
import { findRecord, readRecord, RECORD_OVERHEAD } from './codec'
import { CorruptionError } from './errors'
import { listDir, logName, MANIFEST, snapName } from './files'
import { FORMAT_VERSION } from './format'
import type { Limits } from './limits'
import { hasLogMagic, LOG_HEADER, readLogHeader } from './log-file'
import { readManifest, type Manifest } from './manifest'
import { readSnapshot, type Snapshot } from './snapshot'

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
  /** With `salvage: true` only: damaged or missing data left out, and why. */
  dropped: { file: string; offset: number; bytes: number; reason: string }[]
  /** Set when migrations ran. */
  migrated?: { from: number; to: number }
  /** Set when the directory was in an older on-disk format and was rewritten in the current one. */
  upgraded?: { from: number; to: number }
}

interface ScannedLog {
  gen: number
  file: string
  fd: number
  size: number
  /** Revision the log starts after (format 2 header); undefined for format 1. */
  after?: number
  records: { revision: Revision; offset: number }[]
  /** Generation named by a valid rotate mark, if any. */
  rotate?: number
  /** Where whole, valid records end; the rest is the torn tail or the damage. */
  end: number
  /** Bad bytes at `offset`; what valid records come after them in this file. */
  damage?: { offset: number; reason: string; commitAfter: boolean; recordsAfter: boolean }
}

export interface Recovered {
  /** The document; undefined when the directory holds no store yet. */
  dump?: { id: number; value: unknown }
  /** The last revisions (up to the history asked for), to replay onto `base` to rebuild log(). */
  history: { base: { id: number; value: unknown }; revisions: Revision[] }
  schemaVersion: number
  /** Highest generation on disk. */
  generation: number
  /** Generation of the snapshot used: older files are obsolete. */
  base: number
  /** The log to keep appending to (open, truncated to whole records), if any. */
  tail?: { gen: number; file: string; fd: number; size: number; records: number }
  /**
   * Why the caller must write a clean generation before appending: salvage dropped data,
   * the directory is format 1, or it holds a store whose creation never finished.
   */
  rewrite?: 'salvaged' | 'upgrade' | 'unfinished'
  /** What MANIFEST says once open is done (unless a clean generation is written). */
  manifest?: Manifest
  /** MANIFEST must be rewritten to name `base` (a compaction was interrupted after its rename). */
  renameBase: boolean
  report: RecoveryReport
}

/** A patch that is one root `replace`: how a dump loaded with `update` is logged. */
const isDump = (patch: Patch) => patch.length === 1 && patch[0]!.op === 'replace' && patch[0]!.path === ''

/** Patches replayed per copy-on-write pass (bounded to keep argument lists small). */
const CHUNK = 8192

/** The format field of a snapshot, or -1 when the file is too short or not a snapshot. */
function snapshotFormat(file: string): number {
  const head = Buffer.alloc(10)
  const fd = fs.openSync(file, 'r')
  try {
    return fs.readSync(fd, head, 0, 10, 0) === 10 && head.toString('latin1', 0, 8) === 'PATCHDB\0' ? head.readUInt16LE(8) : -1
  } finally {
    fs.closeSync(fd)
  }
}

/*
 * Recovery rules kept here (docs/storage-format.md has the reasons and the tests):
 * 1. MANIFEST names the base generation: its snapshot and log must exist and be the ones
 *    named. A newer snapshot is used if it is whole (a compaction was interrupted after its
 *    rename). A rotate mark names the next log, which must exist. Anything missing is a
 *    CorruptionError naming the file; salvage opens with what is left and reports it.
 * 2. Bad bytes in a log are a torn tail (an unacknowledged write a crash interrupted: cut
 *    through the open handle, then fsynced) unless something proves they were
 *    acknowledged: a valid commit mark after them, valid records in a later log (a log is
 *    written only after the previous one is durable), or MANIFEST's acknowledged length.
 *    Proven damage is a CorruptionError with the file and offset, unless `salvage`, which
 *    keeps the records before the damage and reports the rest as dropped.
 * 3. A record must carry the next id (a logged dump may jump ahead) and apply cleanly; one
 *    that does not, though its CRC matched, is damage as in 2.
 * 4. Everything decoded is checked as plain JSON by the core, with the same limits as the
 *    writer's, before it is used: recovery never refuses what the writer accepted.
 * 5. A format 1 directory (no MANIFEST, format 1 snapshots) is read by its own rules: bad
 *    bytes followed by any valid record are damage; then it is rewritten as format 2.
 */
export function recover(dir: string, limits: Limits, salvage: boolean, keep: number, readOnly = false): Recovered {
  const { snaps, logs } = listDir(dir)
  const generation = Math.max(0, ...snaps, ...logs)
  const report: RecoveryReport = { revision: 0, replayed: 0, truncated: [], dropped: [] }
  const manifestFile = path.join(dir, MANIFEST)
  const drop = (file: string, offset: number, bytes: number, reason: string, cause?: unknown) => {
    if (!salvage) throw new CorruptionError(file, offset, reason, { cause })
    report.dropped.push({ file, offset, bytes, reason })
  }
  const fresh: Recovered = { history: { base: { id: 0, value: undefined }, revisions: [] }, schemaVersion: 0, generation, base: generation, renameBase: false, report }

  let manifest: Manifest | undefined
  let manifestDamaged = false
  try {
    manifest = readManifest(dir)
  } catch (e) {
    if (!(e instanceof CorruptionError) || !salvage) throw e
    drop(e.file, e.offset, fs.statSync(e.file).size, e.message, e)
    manifestDamaged = true
  }

  // Which snapshot is the base, and by which rules its logs are read.
  let base: number
  let snap: Snapshot
  let rewrite: Recovered['rewrite']
  if (manifest) {
    const named = manifest.generation
    base = named
    for (const g of snaps.filter((s) => s > named)) {
      try {
        snap = readSnapshot(path.join(dir, snapName(g)), limits.snapshotBytes)
        base = g
        break
      } catch (e) {
        if (!(e instanceof CorruptionError)) throw e
        drop(e.file, e.offset, fs.statSync(e.file).size, `${e.message} (a newer snapshot than MANIFEST names)`, e)
      }
    }
    if (base === manifest.generation) {
      const file = path.join(dir, snapName(base))
      if (!snaps.includes(base)) throw new CorruptionError(file, 0, 'the snapshot MANIFEST names is missing')
      snap = readSnapshot(file, limits.snapshotBytes)
      if (snap.headerCrc !== manifest.snapshotCrc || snap.id !== manifest.revision) {
        throw new CorruptionError(file, 0, `not the snapshot MANIFEST names (revision ${snap.id}, MANIFEST says ${manifest.revision})`)
      }
    }
  } else {
    if (snaps.length === 0) {
      const withRecords = logs.find((g) => {
        const size = fs.statSync(path.join(dir, logName(g))).size
        return size > LOG_HEADER || (size > 0 && !hasLogMagic(fs.readFileSync(path.join(dir, logName(g)))))
      })
      if (withRecords !== undefined) throw new CorruptionError(path.join(dir, logName(withRecords)), 0, 'log without any snapshot')
      return fresh
    }
    const legacy = snaps.find((g) => snapshotFormat(path.join(dir, snapName(g))) === 1)
    base = legacy ?? snaps[0]!
    snap = readSnapshot(path.join(dir, snapName(base)), limits.snapshotBytes)
    if (legacy !== undefined) {
      rewrite = 'upgrade'
      report.upgraded = { from: 1, to: FORMAT_VERSION }
    } else if (snaps.length === 1 && logs.every((g) => g === base) && !logHasRecords(path.join(dir, logName(base)))) {
      rewrite = 'unfinished' // creation stopped before its MANIFEST: nothing was ever acknowledged
    } else if (!manifestDamaged) {
      drop(manifestFile, 0, 0, `MANIFEST is missing, but the directory holds generations ${[...new Set([...snaps, ...logs])].sort((a, b) => a - b).join(', ')}`)
    }
  }
  const legacy = rewrite === 'upgrade'
  // A format 1 directory may hold format 2 files of an upgrade that was interrupted: ignored.
  const chainLogs = legacy ? logs.filter((g) => !hasLogMagic(fs.readFileSync(path.join(dir, logName(g))).subarray(0, 8))) : logs
  let value: unknown
  try {
    value = createStore({ value: snap!.value }, { history: 0, freeze: false }).get()
  } catch (e) {
    throw new CorruptionError(path.join(dir, snapName(base)), 0, `document is not plain JSON (${(e as Error).message})`, { cause: e })
  }
  report.snapshot = path.join(dir, snapName(base))

  // The chain of logs from the base: each one named by the previous one's rotate mark.
  const scanned: ScannedLog[] = []
  const leftovers: string[] = []
  try {
    let stopped = false
    for (let g: number | undefined = rewrite === 'unfinished' ? undefined : base; g !== undefined; ) {
      const file = path.join(dir, logName(g))
      if (!chainLogs.includes(g)) {
        // The base log is created before its snapshot; a rotate mark is written only after its log exists.
        if (!legacy) drop(file, 0, 0, g === base ? 'the log of the base snapshot is missing' : `missing, though ${logName(scanned.at(-1)!.gen)} continues into it`)
        stopped = !legacy
        break
      }
      let log: ScannedLog
      try {
        log = scanLog(file, g, limits, legacy, readOnly)
      } catch (e) {
        if (!(e instanceof CorruptionError)) throw e
        drop(e.file, e.offset, fs.statSync(file).size, e.message, e)
        stopped = true
        break
      }
      scanned.push(log)
      // Without a rotate mark (lost to damage, or cut off), a later log with records is still
      // read: its records prove the damage acknowledged, and its header's start revision
      // must follow on (rules 2, 3).
      const later = chainLogs.filter((l) => l > log.gen)
      g = legacy ? later[0] : (log.rotate ?? later.find((l) => logHasRecords(path.join(dir, logName(l)))))
    }
    for (const g of logs.filter((l) => l > base && !scanned.some((s) => s.gen === l))) {
      if (stopped || rewrite) continue
      const file = path.join(dir, logName(g))
      // A log nothing names and with no records: a rotation interrupted before its mark.
      if (logHasRecords(file)) drop(file, 0, fs.statSync(file).size, 'has records, but no log continues into it')
      else leftovers.push(file)
    }

    // Everything up to the first damage that is proven acknowledged (rule 2).
    const claimed = (log: ScannedLog) => (manifest && log.gen === manifest.generation ? manifest.logBytes : 0)
    const entries: { revision: Revision; offset: number; log: ScannedLog }[] = []
    let stop: { log: ScannedLog; offset: number; reason: string } | undefined
    for (const [i, log] of scanned.entries()) {
      for (const r of log.records) entries.push({ ...r, log })
      const laterRecords = scanned.slice(i + 1).some((s) => s.records.length > 0)
      const d = log.damage
      if (log.end < claimed(log)) {
        stop = { log, offset: log.end, reason: d ? `${d.reason}, before the ${claimed(log)} bytes MANIFEST says were acknowledged` : `log is ${log.size} bytes; MANIFEST says ${claimed(log)} were acknowledged` }
        break
      }
      if (d && (d.commitAfter || laterRecords || (legacy && d.recordsAfter))) {
        stop = { log, offset: d.offset, reason: `${d.reason}, in acknowledged data (${d.commitAfter ? 'a commit mark follows' : 'valid records follow'})` }
        break
      }
    }
    // Ids in sequence (rule 3); a log starts after the revision its header names.
    let id = snap!.id
    for (const [i, e] of entries.entries()) {
      const { id: next, patch } = e.revision
      const startsAfter = e.log.records[0]!.offset === e.offset ? e.log.after : undefined
      if (startsAfter !== undefined && startsAfter !== id) {
        stop = { log: e.log, offset: 0, reason: `log starts after revision ${startsAfter}, but revision ${id} precedes it` }
        entries.length = i
        break
      }
      if (next !== id + 1 && !(isDump(patch) && next >= id)) {
        stop = { log: e.log, offset: e.offset, reason: `revision ${next} where ${id + 1} was due` }
        entries.length = i
        break
      }
      id = next
    }
    // Replay: one copy-on-write pass per chunk; the last `keep` one by one, which checks
    // each (and finds the culprit of a failed chunk) and is what rebuilds the history.
    const replayed: Revision[] = []
    let before = { id: snap!.id, value }
    const one = (e: (typeof entries)[number]): boolean => {
      try {
        value = applyPatch(value, e.revision.patch).value
        return true
      } catch (err) {
        stop = { log: e.log, offset: e.offset, reason: `revision ${e.revision.id} does not apply (${(err as Error).message})` }
        return false
      }
    }
    const bulk = Math.max(0, entries.length - keep)
    let applied = 0
    for (let k = 0; k < bulk && applied === k; k += CHUNK) {
      const chunk = entries.slice(k, Math.min(k + CHUNK, bulk))
      try {
        value = applyPatch(value, ...chunk.map((e) => e.revision.patch)).value
        applied += chunk.length
      } catch {
        for (const e of chunk) if (one(e)) applied++
        else break
      }
    }
    if (applied === bulk) {
      before = { id: bulk > 0 ? entries[bulk - 1]!.revision.id : snap!.id, value }
      for (const e of entries.slice(bulk)) {
        if (!one(e)) break
        replayed.push(e.revision)
        applied++
      }
    }
    entries.length = applied
    id = applied > 0 ? entries[applied - 1]!.revision.id : snap!.id
    report.revision = id
    report.replayed = applied
    const dump = { id, value }
    // The snapshot's own history extends the log's, when the log holds fewer than asked for.
    const history = applied < keep && bulk === 0 ? withSnapshotHistory(snap!, keep - applied, replayed, before) : { base: before, revisions: replayed }

    if (stop) {
      const s = stop as { log: ScannedLog; offset: number; reason: string }
      drop(s.log.file, s.offset, s.log.size - s.offset, s.reason)
      for (const later of scanned.slice(scanned.indexOf(s.log) + 1)) {
        if (later.records.length > 0) report.dropped.push({ file: later.file, offset: 0, bytes: later.size, reason: 'follows dropped data' })
      }
    }
    if (report.dropped.length > 0) {
      // Torn tails are left out of the clean generation too: say so.
      for (const log of scanned.slice(0, stop ? scanned.indexOf(stop.log) : scanned.length)) {
        if (log.end < log.size) report.truncated.push({ file: log.file, offset: log.end, bytes: log.size - log.end })
      }
      for (const log of scanned) fs.closeSync(log.fd)
      return { dump, history, schemaVersion: snap!.schemaVersion, generation, base, rewrite: 'salvaged', renameBase: false, report }
    }
    // Only torn tails remain: cut them through the open handle, then fsync (read-only: left out, not cut).
    for (const log of scanned) {
      if (log.end < log.size) {
        if (!readOnly) fs.ftruncateSync(log.fd, log.end)
        if (!readOnly) fs.fsyncSync(log.fd)
        report.truncated.push({ file: log.file, offset: log.end, bytes: log.size - log.end })
      }
    }
    if (!readOnly) for (const file of leftovers) fs.rmSync(file)
    const last = rewrite ? undefined : scanned.pop()
    for (const log of scanned) fs.closeSync(log.fd)
    const tail = last && { gen: last.gen, file: last.file, fd: last.fd, size: last.end, records: last.records.length }
    const renameBase = manifest !== undefined && base !== manifest.generation
    if (renameBase) manifest = { generation: base, revision: snap!.id, snapshotCrc: snap!.headerCrc, logBytes: LOG_HEADER }
    return { dump, history, schemaVersion: snap!.schemaVersion, generation, base, tail, rewrite, manifest, renameBase, report }
  } catch (e) {
    for (const log of scanned) if (log.fd >= 0) fs.closeSync(log.fd)
    throw e
  }
}

/**
 * Extends the history back into the snapshot's retained revisions: their inverses, applied
 * newest first to the snapshot's document, give the document before them. Damage there
 * (they passed the CRC) costs only the history, never the document.
 */
function withSnapshotHistory(snap: Snapshot, want: number, fromLog: Revision[], atSnapshot: { id: number; value: unknown }) {
  const older = snap.history.slice(Math.max(0, snap.history.length - want))
  let value = atSnapshot.value
  try {
    for (let i = older.length - 1; i >= 0; i--) value = applyPatch(value, older[i]!.inverse).value
  } catch {
    return { base: atSnapshot, revisions: fromLog }
  }
  return { base: { id: snap.id - older.length, value }, revisions: [...older.map((e) => ({ id: e.id, patch: e.patch })), ...fromLog] }
}

/** Whether a log file holds any bytes beyond an empty log. */
function logHasRecords(file: string): boolean {
  let size: number
  try {
    size = fs.statSync(file).size
  } catch {
    return false
  }
  return size > LOG_HEADER
}

function scanLog(file: string, gen: number, limits: Limits, legacy: boolean, readOnly: boolean): ScannedLog {
  const fd = fs.openSync(file, readOnly ? 'r' : 'r+')
  try {
    const size = fs.fstatSync(fd).size
    if (size > limits.logBytes) {
      throw new RangeError(`patchdb: ${file} is ${size} bytes, over the replay limit of ${limits.logBytes} (limits.logBytes)`)
    }
    const bytes = Buffer.allocUnsafe(size)
    for (let done = 0; done < size; ) done += fs.readSync(fd, bytes, done, size - done, done)
    const after = legacy ? undefined : readLogHeader(bytes, file, gen)
    const log: ScannedLog = { gen, file, fd, size, after, records: [], end: 0 }
    let offset = legacy ? 0 : LOG_HEADER
    while (offset < size) {
      const read = readRecord(bytes, offset, limits.recordBytes)
      if ('error' in read) {
        if (read.overLimit) throw new RangeError(`patchdb: ${file} at byte ${offset}: ${read.error}`)
        log.damage = { offset, reason: read.error, ...validAfter(bytes, offset + 1, limits.recordBytes) }
        break
      }
      const wrongMark =
        'mark' in read && ('commit' in read.mark ? read.mark.commit !== offset && `commit mark for byte ${read.mark.commit} found at byte ${offset}` : read.mark.rotate <= gen && `rotate mark back to generation ${read.mark.rotate}`)
      if (wrongMark) {
        log.damage = { offset, reason: wrongMark, ...validAfter(bytes, offset + 1, limits.recordBytes) }
        break
      }
      if ('revision' in read) log.records.push({ revision: read.revision, offset })
      else if ('rotate' in read.mark) log.rotate = read.mark.rotate
      offset = read.next
    }
    log.end = offset
    return log
  } catch (e) {
    fs.closeSync(fd)
    throw e
  }
}

/** What valid records follow bad bytes at `from`: any at all, and a commit mark at its own offset. */
function validAfter(bytes: Uint8Array, from: number, maxBody: number): { commitAfter: boolean; recordsAfter: boolean } {
  return { commitAfter: commitMarkAfter(bytes, from), recordsAfter: findRecord(bytes, from, maxBody) >= 0 }
}

/** Bodies of commit marks are CBOR `{ commit: n }`: at most 17 bytes. */
const MAX_MARK = 24

/**
 * Whether a whole commit mark naming its own offset starts at or after `from`. Only short
 * frames are candidates, so this is linear in the bytes whatever lengths they claim.
 */
function commitMarkAfter(bytes: Uint8Array, from: number): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let p = from; p + RECORD_OVERHEAD <= bytes.length; p++) {
    const length = view.getUint32(p, true)
    if (length === 0 || length > MAX_MARK || p + RECORD_OVERHEAD + length > bytes.length) continue
    const read = readRecord(bytes, p, MAX_MARK)
    if ('mark' in read && 'commit' in read.mark && read.mark.commit === p) return true
  }
  return false
}
