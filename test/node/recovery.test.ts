import fs from 'node:fs'
import path from 'node:path'
import { deepEqual } from 'patchdb'
import { CorruptionError, openStore, VersionError } from 'patchdb/node'
import { describe, expect, it } from 'vitest'
import { dirs, only } from './fixtures/dirs'
import { frame, resealHeader, revisionOffsets } from './fixtures/records'
import { initialValue, patchFor, streamAt } from './fixtures/stream'

const fresh = dirs('recovery')

/** A closed store holding revisions 1..n of the stream (no compaction). */
async function written(n: number, dir = fresh()) {
  const db = await openStore(dir, { value: initialValue, sync: 'none', compact: { maxRecords: 1e9 } })
  for (let i = 1; i <= n; i++) db.apply(patchFor(i))
  await db.close()
  return dir
}

describe('recovery from bad input', () => {
  it('an empty directory opens as a new store', async () => {
    const dir = fresh()
    const db = await openStore(dir, { value: { a: 1 } })
    expect(db.revision).toBe(0)
    expect(db.get()).toEqual({ a: 1 })
    expect(db.recovery.snapshot).toBeUndefined()
    await db.close()
    const again = await openStore(dir)
    expect(again.get()).toEqual({ a: 1 })
    await again.close()
  })

  it('a file where the directory should be fails clearly', async () => {
    const file = path.join(fresh(), 'not-a-dir')
    fs.writeFileSync(file, 'hello')
    await expect(openStore(file)).rejects.toThrow(/is not a directory/)
    await expect(openStore(path.join(file, 'below'))).rejects.toThrow(/is not a directory/)
    expect(fs.readFileSync(file, 'utf8')).toBe('hello')
  })

  it('a truncated snapshot is a CorruptionError naming the file', async () => {
    const dir = await written(20)
    const db = await openStore(dir)
    await db.compact()
    await db.close()
    const snap = only(dir, '.snap')
    fs.truncateSync(snap, fs.statSync(snap).size - 10)
    const err = await openStore(dir).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CorruptionError)
    expect((err as CorruptionError).file).toBe(snap)
    expect((err as CorruptionError).offset).toBeGreaterThan(0)
    fs.truncateSync(snap, 10) // inside the header, too
    await expect(openStore(dir)).rejects.toThrow(CorruptionError)
  })

  it('random bytes appended to the log are a torn tail: cut, nothing else lost', async () => {
    const dir = await written(50)
    const log = only(dir, '.log')
    const size = fs.statSync(log).size
    let seed = 42
    const junk = Buffer.from(Array.from({ length: 300 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24))
    fs.appendFileSync(log, junk)
    const db = await openStore(dir)
    expect(db.revision).toBe(50)
    expect(deepEqual(db.get(), streamAt(50))).toBe(true)
    expect(db.recovery.truncated).toEqual([{ file: log, offset: size, bytes: 300 }])
    expect(fs.statSync(log).size).toBe(size)
    db.apply(patchFor(51))
    await db.close()
    const again = await openStore(dir)
    expect(again.revision).toBe(51)
    await again.close()
  })

  it('a flipped byte in the middle of the log is a CorruptionError at that record, never a silent cut', async () => {
    const dir = await written(100)
    const log = only(dir, '.log')
    const offsets = revisionOffsets(log)
    for (const at of [offsets[40]! + 12, offsets[40]! + 1]) {
      // a byte in the body, then a byte of the length field
      const bytes = fs.readFileSync(log)
      bytes[at]! ^= 0x5a
      fs.writeFileSync(log, bytes)
      const err = await openStore(dir).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(CorruptionError)
      expect((err as CorruptionError).file).toBe(log)
      expect((err as CorruptionError).offset).toBe(offsets[40])
      bytes[at]! ^= 0x5a
      fs.writeFileSync(log, bytes)
    }
    const db = await openStore(dir) // undamaged again, and nothing was cut meanwhile
    expect(db.revision).toBe(100)
    await db.close()
  })

  it('salvage keeps the records before the damage, reports the rest, and writes a clean generation', async () => {
    const dir = await written(100)
    const log = only(dir, '.log')
    const offsets = revisionOffsets(log)
    const bytes = fs.readFileSync(log)
    bytes[offsets[60]! + 10]! ^= 0xff
    fs.writeFileSync(log, bytes)
    const db = await openStore(dir, { salvage: true })
    expect(db.revision).toBe(60)
    expect(deepEqual(db.get(), streamAt(60))).toBe(true)
    expect(db.recovery.dropped).toEqual([{ file: log, offset: offsets[60], bytes: bytes.length - offsets[60]!, reason: 'CRC-32 mismatch, in acknowledged data (a commit mark follows)' }])
    db.apply(patchFor(61))
    await db.close()
    const again = await openStore(dir) // no salvage needed any more
    expect(again.revision).toBe(61)
    expect(deepEqual(again.get(), streamAt(61))).toBe(true)
    await again.close()
  })

  it('replays a log longer than one copy-on-write pass', async () => {
    const dir = await written(20_000)
    const db = await openStore(dir)
    expect(db.revision).toBe(20_000)
    expect(deepEqual(db.get(), streamAt(20_000))).toBe(true)
    await db.close()
  }, 60_000)

  it('a whole record with the wrong id, or one that does not apply, is a CorruptionError', async () => {
    const dir = await written(10)
    const log = only(dir, '.log')
    const good = fs.readFileSync(log)
    const offsets = revisionOffsets(log)
    // Record 5 again after record 10: a valid CRC, the wrong id.
    fs.appendFileSync(log, good.subarray(offsets[4], offsets[5]))
    await expect(openStore(dir)).rejects.toThrow(/revision 5 where 11 was due/)
    // Revision 11 of another document: the right id, a patch that cannot apply here.
    const other = fresh()
    const db = await openStore(other, { sync: 'none' })
    db.update({ id: 10, value: { other: true } })
    db.apply([{ op: 'remove', path: '/other' }])
    await db.close()
    const otherLog = fs.readFileSync(only(other, '.log'))
    const last = revisionOffsets(only(other, '.log')).pop()!
    fs.writeFileSync(log, Buffer.concat([good, otherLog.subarray(last)]))
    const err = await openStore(dir).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CorruptionError)
    expect((err as Error).message).toMatch(/revision 11 does not apply/)
    expect((err as CorruptionError).offset).toBe(good.length)
  })

  it('forged marks are damage, never a loop or a proof: a rotate mark back to its own log, a commit mark at the wrong byte', async () => {
    const dir = await written(10)
    const log = only(dir, '.log')
    const good = fs.readFileSync(log)
    const commitAt = (offset: number) => frame({ commit: offset })
    for (const forged of [frame({ rotate: 1 }), frame({ rotate: 0 }), commitAt(3)]) {
      // Followed by a genuine commit mark: acknowledged damage.
      fs.writeFileSync(log, Buffer.concat([good, forged, commitAt(good.length + forged.length)]))
      const err = await openStore(dir).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(CorruptionError)
      expect(err).toMatchObject({ file: log, offset: good.length })
      // Alone at the end: a torn tail, cut.
      fs.writeFileSync(log, Buffer.concat([good, forged]))
      const db = await openStore(dir)
      expect(db.revision).toBe(10)
      expect(db.recovery.truncated).toEqual([{ file: log, offset: good.length, bytes: forged.length }])
      await db.close()
    }
  })

  it('a snapshot from a newer format version fails clearly', async () => {
    const dir = await written(3)
    const snap = only(dir, '.snap')
    const bytes = fs.readFileSync(snap)
    bytes.writeUInt16LE(9, 8)
    resealHeader(bytes, 32) // a real newer header passes its own check
    fs.writeFileSync(snap, bytes)
    const err = await openStore(dir).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(VersionError)
    expect(err).toMatchObject({ kind: 'format', stored: 9, supported: 2 })
  })

  it('a log without its snapshot is a CorruptionError', async () => {
    const dir = await written(3)
    fs.rmSync(only(dir, '.snap'))
    await expect(openStore(dir)).rejects.toThrow(/the snapshot MANIFEST names is missing/)
    fs.rmSync(path.join(dir, 'MANIFEST'))
    await expect(openStore(dir)).rejects.toThrow(/log without any snapshot/)
  })

  it('records and snapshots over the size limits fail clearly instead of being cut', async () => {
    const dir = await written(10)
    await expect(openStore(dir, { limits: { recordBytes: 16 } })).rejects.toThrow(/over the limit of 16 \(limits.recordBytes\)/)
    await expect(openStore(dir, { limits: { snapshotBytes: 16 } })).rejects.toThrow(/limits.snapshotBytes/)
    const db = await openStore(dir, { limits: { recordBytes: 200 } })
    expect(() => db.set('/counter', 'x'.repeat(300))).toThrow(/over the record limit of 200/)
    expect(db.revision).toBe(10)
    await db.close()
  })
})
