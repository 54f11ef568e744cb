import fs from 'node:fs'
import path from 'node:path'
import { CorruptionError, openStore, VersionError } from 'patchdb/node'
import { describe, expect, it } from 'vitest'
import { dirs, only } from './fixtures/dirs'
import { LOG_HEADER, resealHeader, SNAP_HEADER } from './fixtures/records'

const fresh = dirs('header')

/** A closed store with a snapshot, a log with records, and a MANIFEST. */
async function store() {
  const dir = fresh()
  const db = await openStore(dir, { value: { n: 0 }, sync: 'batch' })
  for (let i = 1; i <= 5; i++) db.set('/n', i)
  await db.close()
  return dir
}

/** Flips each bit of bytes [0, end) of `file` in turn; `check` runs on each damaged copy. */
async function everyBit(file: string, end: number, check: (bit: number) => Promise<void>) {
  const good = fs.readFileSync(file)
  for (let bit = 0; bit < end * 8; bit++) {
    const bad = Buffer.from(good)
    bad[bit >> 3]! ^= 1 << (bit & 7)
    fs.writeFileSync(file, bad)
    await check(bit)
  }
  fs.writeFileSync(file, good)
}

async function openResult(dir: string, salvage: boolean) {
  try {
    const db = await openStore(dir, { salvage })
    const result = { revision: db.revision, dropped: db.recovery.dropped.map((d) => path.basename(d.file)) }
    await db.close()
    return result
  } catch (e) {
    return e
  }
}

describe('a header is checked whole before its version is believed', () => {
  it('every single-bit flip in a snapshot header is a CorruptionError, never a VersionError, also with salvage', async () => {
    const dir = await store()
    const snap = only(dir, '.snap')
    await everyBit(snap, SNAP_HEADER, async (bit) => {
      for (const salvage of [false, true]) {
        const err = await openResult(dir, salvage)
        expect(err, `bit ${bit}, salvage ${salvage}`).toBeInstanceOf(CorruptionError)
        expect((err as CorruptionError).file).toBe(snap)
      }
    })
  }, 30_000)

  it('every single-bit flip in a log header is a CorruptionError; salvage opens at the snapshot and reports the log', async () => {
    const dir = await store()
    const log = only(dir, '.log')
    await everyBit(log, LOG_HEADER, async (bit) => {
      const err = await openResult(dir, false)
      expect(err, `bit ${bit}`).toBeInstanceOf(CorruptionError)
      expect((err as CorruptionError).file).toBe(log)
      // Salvage writes a clean generation: it runs on a copy, so the next bit starts from
      // the original; one bit per byte (it fsyncs a whole new generation each time).
      if ((bit & 7) !== ((bit >> 3) & 7)) return
      const copy = fresh()
      fs.cpSync(dir, copy, { recursive: true })
      expect(await openResult(copy, true), `bit ${bit}`).toEqual({ revision: 0, dropped: [path.basename(log)] })
      fs.rmSync(copy, { recursive: true })
    })
  }, 30_000)

  it('every single-bit flip in MANIFEST is a CorruptionError; salvage opens all the data and reports MANIFEST', async () => {
    const dir = await store()
    const manifest = path.join(dir, 'MANIFEST')
    const size = fs.statSync(manifest).size
    await everyBit(manifest, size, async (bit) => {
      const err = await openResult(dir, false)
      expect(err, `bit ${bit}`).toBeInstanceOf(CorruptionError)
      expect((err as CorruptionError).file).toBe(manifest)
    })
    const copy = fresh()
    fs.cpSync(dir, copy, { recursive: true })
    const bytes = fs.readFileSync(path.join(copy, 'MANIFEST'))
    bytes[20]! ^= 1
    fs.writeFileSync(path.join(copy, 'MANIFEST'), bytes)
    expect(await openResult(copy, true)).toEqual({ revision: 5, dropped: ['MANIFEST'] })
  }, 30_000)

  it('a newer format with an intact header is a VersionError, in a snapshot, a log and MANIFEST', async () => {
    for (const [name, crcAt] of [['snap', 32], ['log', 32], ['MANIFEST', 44]] as const) {
      const dir = await store()
      const file = name === 'MANIFEST' ? path.join(dir, name) : only(dir, `.${name}`)
      const bytes = fs.readFileSync(file)
      bytes.writeUInt16LE(3, 8)
      resealHeader(bytes, crcAt)
      fs.writeFileSync(file, bytes)
      const err = await openResult(dir, true)
      expect(err, name).toBeInstanceOf(VersionError)
      expect(err).toMatchObject({ kind: 'format', file, stored: 3, supported: 2 })
    }
  })
})
