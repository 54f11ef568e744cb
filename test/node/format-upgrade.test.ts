import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { Encoder } from 'cbor-x'
import { deepEqual, type Patch } from 'patchdb'
import { CorruptionError, openStore } from 'patchdb/node'
import { describe, expect, it } from 'vitest'
import { dirs } from './fixtures/dirs'
import { logRecords } from './fixtures/records'
import { patchFor, streamAt } from './fixtures/stream'

const fresh = dirs('upgrade')
const cbor = new Encoder({ useRecords: false, mapsAsObjects: true, variableMapSize: true })

/** A format 1 directory as patchdb 0.1 wrote it: `<gen>.snap` (28-byte header, CRC at the end) and a headerless log. */
function formatOneStore(revisions: number, snapshotAt = 0): string {
  const dir = fresh()
  const doc = cbor.encode(streamAt(snapshotAt))
  const snap = Buffer.alloc(28 + doc.length + 4)
  snap.write('PATCHDB\0', 0, 'latin1')
  snap.writeUInt16LE(1, 8)
  snap.writeDoubleLE(snapshotAt, 16)
  snap.writeUInt32LE(doc.length, 24)
  snap.set(doc, 28)
  snap.writeUInt32LE(zlib.crc32(snap.subarray(0, 28 + doc.length)), 28 + doc.length)
  fs.writeFileSync(path.join(dir, '0000000003.snap'), snap)
  const records = []
  for (let id = snapshotAt + 1; id <= revisions; id++) {
    const body = cbor.encode({ id, patch: patchFor(id) as Patch })
    const rec = Buffer.alloc(body.length + 8)
    rec.writeUInt32LE(body.length, 0)
    rec.set(body, 4)
    rec.writeUInt32LE(zlib.crc32(rec.subarray(0, 4 + body.length)), 4 + body.length)
    records.push(rec)
  }
  fs.writeFileSync(path.join(dir, '0000000003.log'), Buffer.concat(records))
  return dir
}

describe('format 1 directories are read and rewritten in format 2', () => {
  it('opens with every revision and the history, reports the upgrade, and leaves only format 2 files', async () => {
    const dir = formatOneStore(40, 10)
    const db = await openStore(dir, { history: 100 })
    expect(db.revision).toBe(40)
    expect(deepEqual(db.get(), streamAt(40))).toBe(true)
    expect(db.recovery.upgraded).toEqual({ from: 1, to: 2 })
    expect(db.log().map((e) => e.id)).toEqual(Array.from({ length: 30 }, (_, i) => 11 + i))
    expect(deepEqual(db.valueAt(10), streamAt(10))).toBe(true)
    db.apply(patchFor(41))
    await db.close()
    expect(fs.readdirSync(dir).sort()).toEqual(['0000000004.log', '0000000004.snap', 'MANIFEST'])
    expect(logRecords(path.join(dir, '0000000004.log')).map((r) => r.kind)).toEqual(['revision', 'commit'])
    const again = await openStore(dir)
    expect(again.revision).toBe(41)
    expect(again.recovery.upgraded).toBeUndefined()
    expect(deepEqual(again.get(), streamAt(41))).toBe(true)
    await again.close()
  })

  it('keeps the format 1 rules: a torn tail is cut, damage followed by records is a CorruptionError', async () => {
    const torn = formatOneStore(20)
    const log = path.join(torn, '0000000003.log')
    const size = fs.statSync(log).size
    fs.appendFileSync(log, Buffer.from([9, 0, 0, 0, 1, 2]))
    const db = await openStore(torn)
    expect(db.revision).toBe(20)
    expect(db.recovery.truncated).toEqual([{ file: log, offset: size, bytes: 6 }])
    await db.close()

    const damaged = formatOneStore(20)
    const bytes = fs.readFileSync(path.join(damaged, '0000000003.log'))
    bytes[10]! ^= 0xff
    fs.writeFileSync(path.join(damaged, '0000000003.log'), bytes)
    await expect(openStore(damaged)).rejects.toThrow(CorruptionError)
    expect(fs.readdirSync(damaged).sort()).toEqual(['0000000003.log', '0000000003.snap']) // nothing rewritten
  })
})
