import fs from 'node:fs'
import zlib from 'node:zlib'
import { Encoder } from 'cbor-x'
import fc from 'fast-check'
import { CorruptionError, openStore } from 'patchdb/node'
import { describe, expect, it } from 'vitest'
import { dirs, only } from './fixtures/dirs'

/*
 * Log bytes written by someone else than patchdb. A record on disk is
 * `u32 LE length · CBOR body · u32 LE CRC-32 of length and body` (docs/architecture.md).
 */
const fresh = dirs('hostile')
const cbor = new Encoder({ useRecords: false, mapsAsObjects: true, variableMapSize: true })

function frame(body: Uint8Array): Buffer {
  const out = Buffer.alloc(body.length + 8)
  out.writeUInt32LE(body.length, 0)
  out.set(body, 4)
  out.writeUInt32LE(zlib.crc32(out.subarray(0, 4 + body.length)), 4 + body.length)
  return out
}

/** The start of the whole record (CRC matching) that holds byte `at`. */
function recordAround(bytes: Buffer, at: number): number {
  for (let p = at - 4; p >= 0; p--) {
    const length = bytes.readUInt32LE(p)
    const end = p + 4 + length
    if (end > at && end + 4 <= bytes.length && zlib.crc32(bytes.subarray(p, end)) === bytes.readUInt32LE(end)) return p
  }
  throw new Error(`no record holds byte ${at}`)
}

/**
 * Garbage whose every fourth word claims a record running exactly to the end of the file:
 * checking each claim by computing its CRC costs size² / 8 byte steps (34 G for 512 KiB:
 * about half a minute; 4 MiB: hours). `fileEnd` is where the file will end.
 */
function craftedGarbage(at: number, size: number, fileEnd: number): Buffer {
  const garbage = Buffer.alloc(size, 0xa5)
  for (let i = (4 - (at % 4)) % 4; i + 4 <= size; i += 4) garbage.writeUInt32LE(Math.max(1, fileEnd - (at + i) - 8), i)
  return garbage
}

async function storeWithTwoRevisions(dir: string) {
  const db = await openStore(dir, { value: { n: 0 }, sync: 'always' })
  db.set('/n', 1)
  db.set('/n', 2)
  await db.close()
  return only(dir, '.log')
}

describe('a log with hostile bytes', () => {
  for (const size of [512 << 10, 4 << 20]) {
    it(`crafted garbage of ${size >> 10} KiB claiming long records is scanned in linear time: a torn tail cut, or damage before a commit mark`, async () => {
      // Garbage up to the end: nothing proves it was acknowledged, a torn tail.
      const tornDir = fresh()
      const torn = await storeWithTwoRevisions(tornDir)
      const end = fs.statSync(torn).size
      fs.appendFileSync(torn, craftedGarbage(end, size, end + size))
      const db = await openStore(tornDir)
      expect(db.get()).toEqual({ n: 2 })
      expect(db.recovery.truncated).toEqual([{ file: torn, offset: end, bytes: size }])
      await db.close()

      // The same garbage followed by a commit mark at its own offset: acknowledged data was
      // damaged. Finding the mark means scanning all of the garbage.
      const damagedDir = fresh()
      const log = await storeWithTwoRevisions(damagedDir)
      const at = fs.statSync(log).size
      const mark = frame(cbor.encode({ commit: at + size }))
      fs.appendFileSync(log, Buffer.concat([craftedGarbage(at, size, at + size + mark.length), mark]))
      const err = await openStore(damagedDir).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(CorruptionError)
      expect(err).toMatchObject({ file: log, offset: at })
      const salvaged = await openStore(damagedDir, { salvage: true })
      expect(salvaged.get()).toEqual({ n: 2 })
      expect(salvaged.recovery.dropped[0]).toMatchObject({ file: log, offset: at })
      await salvaged.close()
    }, size < 1 << 20 ? 30_000 : 120_000) // seconds at most on a loaded machine; the quadratic scan took 90 s for 512 KiB, hours for 4 MiB
  }

  it('whatever the garbage after the last record, a commit mark at its own offset is found (damage) and nothing else is (torn tail)', async () => {
    const template = fresh()
    await storeWithTwoRevisions(template)
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
        fc.nat(),
        async (size, claims, markAt, seed) => {
          const dir = fresh()
          fs.cpSync(template, dir, { recursive: true })
          const log = only(dir, '.log')
          const at = fs.statSync(log).size
          // Random bytes; some words claim records running to the end or to random places;
          // some frames have a matching CRC but a body that is no record (forged).
          let x = seed | 1
          const next = () => ((x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6b43a9b5) >>> 0)
          const garbage = Buffer.alloc(size)
          for (let i = 0; i < size; i++) garbage[i] = next() & 0xff
          for (let i = 0; i + 4 <= size; i += 4) {
            if (next() / 2 ** 32 < claims) garbage.writeUInt32LE(next() % 2 ? Math.max(1, size - i - 8) : 1 + (next() % 70_000), i)
          }
          for (let i = next() % 997; i + 64 <= size; i += 997 + (next() % 5000)) frame(Buffer.from([0x19, i & 0xff, 0x01])).copy(garbage, i)
          const parts: Uint8Array[] = [garbage]
          if (markAt !== null) {
            const cut = 1 + Math.floor(markAt * (size - 1)) // after some garbage: the damage
            const mark = frame(cbor.encode({ commit: at + cut }))
            parts.splice(0, 1, garbage.subarray(0, cut), mark, garbage.subarray(cut))
          }
          fs.appendFileSync(log, Buffer.concat(parts))
          const total = fs.statSync(log).size - at
          const opened = await openStore(dir).catch((e: unknown) => e)
          if (markAt !== null) {
            expect(opened).toBeInstanceOf(CorruptionError)
            expect(opened).toMatchObject({ file: log, offset: at })
          } else {
            expect(opened).not.toBeInstanceOf(Error)
            const db = opened as Awaited<ReturnType<typeof openStore>>
            expect(db.get()).toEqual({ n: 2 })
            expect(db.recovery.truncated).toEqual([{ file: log, offset: at, bytes: total }])
            await db.close()
          }
          fs.rmSync(dir, { recursive: true, force: true })
        },
      ),
      { numRuns: 40 },
    )
  }, 300_000)

  it('a record with a valid CRC whose value has a __proto__ key is corrupt, never renamed: CorruptionError at its offset, salvage drops it', async () => {
    const dir = fresh()
    const db = await openStore(dir, { value: {} as Record<string, unknown>, sync: 'always' })
    db.set('/before', 1)
    db.set('/evil', { __proto_X: { polluted: true } }) // same length as the key it becomes
    db.set('/after', 3)
    await db.close()
    const log = only(dir, '.log')
    const bytes = fs.readFileSync(log)
    const at = bytes.indexOf('__proto_X')
    const record = recordAround(bytes, at)
    bytes.write('_', at + 8, 'latin1')
    const length = bytes.readUInt32LE(record)
    bytes.writeUInt32LE(zlib.crc32(bytes.subarray(record, record + 4 + length)), record + 4 + length)
    fs.writeFileSync(log, bytes)

    const err = await openStore(dir).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CorruptionError)
    expect(err).toMatchObject({ file: log, offset: record })
    expect((err as Error).message).toMatch(/__proto__/)
    const salvaged = await openStore(dir, { salvage: true })
    expect(salvaged.get()).toEqual({ before: 1 })
    expect(salvaged.recovery.dropped[0]).toMatchObject({ file: log, offset: record, reason: expect.stringMatching(/__proto__/) })
    expect(JSON.stringify(salvaged.get())).not.toMatch(/__proto_/)
    await salvaged.close()
  })

  it('a __proto__ text that is a string value, not a key, reopens unchanged', async () => {
    const dir = fresh()
    const db = await openStore<{ s: string; list?: unknown[] }>(dir, { value: { s: '' }, sync: 'always' })
    db.set('/s', '__proto__')
    db.set('/list', ['__proto__', { k: 'x__proto__y' }])
    await db.close()
    const again = await openStore(dir)
    expect(again.get()).toEqual({ s: '__proto__', list: ['__proto__', { k: 'x__proto__y' }] })
    await again.close()
  })
})
