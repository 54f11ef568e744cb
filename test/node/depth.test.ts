import { createStore, deepEqual, PatchError, type JsonValue } from 'patchdb'
import { CorruptionError, openStore } from 'patchdb/node'
import { describe, expect, it } from 'vitest'
import { deepestAccepted, nest } from './fixtures/depth'
import { dirs, only } from './fixtures/dirs'
import { forgeSnapshot, snapshotBody } from './fixtures/records'
import { thrown } from './fixtures/thrown'

const fresh = dirs('depth')
const LIMIT = deepestAccepted()
/** `n` nested arrays, through JSON.parse as a network or file input would arrive. */
const arrays = (n: number) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as JsonValue

/** Opens `dir` plainly, with salvage, and after a compaction: each time the same document. */
async function reopensAs(dir: string, expected: unknown) {
  for (const options of [{}, { salvage: true }, {}]) {
    const db = await openStore<JsonValue>(dir, options)
    expect(deepEqual(db.get(), expected)).toBe(true)
    expect(db.recovery.dropped).toEqual([])
    await db.compact() // encodes the whole document: no RangeError at the limit
    await db.close()
  }
}

describe('recovery never refuses what the writer accepted: the depth limit', () => {
  it('a document exactly at the core limit reopens, also with salvage and after compact()', async () => {
    expect(LIMIT).toBeGreaterThan(100)
    const dir = fresh()
    const db = await openStore<JsonValue>(dir, { value: {}, sync: 'always' })
    db.apply([{ op: 'add', path: '/a', value: nest(LIMIT, 'leaf') }])
    // One level more is refused by the core, with nothing written.
    expect(() => db.apply([{ op: 'add', path: '/b', value: nest(LIMIT + 1) }])).toThrow(PatchError)
    expect(db.revision).toBe(1)
    const expected = db.get()
    await db.close()
    await reopensAs(dir, expected)
  })

  it('two adds that together reach the limit reopen; one level more is refused, not acknowledged', async () => {
    const dir = fresh()
    const db = await openStore<JsonValue>(dir, { value: {} })
    const half = LIMIT >> 1
    db.apply([{ op: 'add', path: '/a', value: arrays(half) }])
    const innermost = `/a${'/0'.repeat(half - 1)}/-`
    const err = thrown(() => db.apply([{ op: 'add', path: innermost, value: arrays(LIMIT - half + 1) }]))
    expect(err).toBeInstanceOf(PatchError)
    expect((err as PatchError).code).toBe('TOO_DEEP')
    db.apply([{ op: 'add', path: innermost, value: arrays(LIMIT - half) }])
    expect(db.revision).toBe(2)
    await db.flush()
    const expected = db.get()
    await db.close()
    await reopensAs(dir, expected)
  })

  for (const levels of [3_000, 100_000]) {
    it(`a ${levels.toLocaleString('en')}-level value (JSON.parse) is refused with a PatchError; the store stays healthy and reopens`, async () => {
      const dir = fresh()
      const db = await openStore<JsonValue>(dir, { value: { keep: 1 } })
      const model = createStore<JsonValue>({ value: { keep: 1 } }, { freeze: false })
      const deep = arrays(levels)
      const writes = [
        () => db.apply([{ op: 'add', path: '/deep', value: deep }]),
        () => db.set('/deep', deep),
        () => db.update({ id: db.revision + 1, value: { deep } }),
        () => db.transact((tx) => tx.set('/deep', deep)),
      ]
      for (const write of writes) {
        expect(thrown(write)).toBeInstanceOf(PatchError)
        expect(db.revision).toBe(0)
      }
      // Built from two values that are each within the limit.
      db.apply([{ op: 'add', path: '/a', value: arrays(900) }])
      model.apply([{ op: 'add', path: '/a', value: arrays(900) }])
      expect(() => db.apply([{ op: 'add', path: `/a${'/0'.repeat(899)}/-`, value: arrays(levels - 900) }])).toThrow(PatchError)
      db.set('/keep', 2)
      model.set('/keep', 2)
      await db.compact()
      await db.flush()
      expect(deepEqual(db.get(), model.get())).toBe(true)
      await db.close()
      await reopensAs(dir, model.get())
    })
  }

  it('a forged snapshot nested past the limit, or too deep for the decoder, is a CorruptionError, never a RangeError', async () => {
    const dir = fresh()
    const db = await openStore(dir, { value: {} })
    await db.close()
    const snap = only(dir, '.snap')
    for (const levels of [LIMIT + 5, 200_000]) {
      forgeSnapshot(snap, snapshotBody(Buffer.concat([Buffer.alloc(levels, 0x81), Buffer.from([0x80])])))
      for (const salvage of [false, true]) {
        const err = await openStore(dir, { salvage }).catch((e: unknown) => e)
        expect(err).toBeInstanceOf(CorruptionError)
        expect((err as CorruptionError).file).toBe(snap)
      }
    }
  })
})
