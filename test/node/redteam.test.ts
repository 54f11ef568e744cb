import fs from 'node:fs'
import fc from 'fast-check'
import { openStore, type OpenOptions } from 'patchdb/node'
import { describe, expect, it } from 'vitest'
import { dirs } from './fixtures/dirs'

// Found by the red team: limits a writer did not respect on the way in, so that a store it
// acknowledged could not be reopened with the options it was written with (issue 9, item 1).
const fresh = dirs('redteam')
const row = (i: number) => [{ op: 'add' as const, path: '/rows/-', value: `${i}:${'x'.repeat(90)}` }]

/** Applies `count` rows, counting the refused ones (a refused write changes nothing), then flushes and closes. */
async function write(dir: string, options: OpenOptions<{ rows: string[] }>, count: number, compactEvery = 0) {
  const db = await openStore(dir, { value: { rows: [] as string[] }, ...options })
  let refused = 0
  for (let i = 0; i < count; i++) {
    const before = db.revision
    try {
      db.apply(row(i))
    } catch (e) {
      expect(e).toBeInstanceOf(RangeError)
      expect(db.revision).toBe(before)
      refused++
    }
    if (compactEvery && i % compactEvery === compactEvery - 1) await db.compact().catch(() => {})
  }
  await db.flush()
  const acknowledged = db.dump()
  await db.close()
  return { acknowledged, refused }
}

describe('patchdb/node red team: limits hold on the way in', () => {
  it('a log is never written past limits.logBytes, so what flush() acknowledged reopens with the same limits', async () => {
    const dir = fresh()
    const options = { limits: { logBytes: 5000 }, compact: { maxBytes: 1 << 30 } }
    const { acknowledged } = await write(dir, options, 60)
    const db = await openStore(dir, options)
    expect(db.dump()).toEqual(acknowledged)
    await db.close()
  })

  it('a burst of writes that outruns compaction is refused at limits.logBytes, never acknowledged and then unreadable', async () => {
    const dir = fresh()
    const options = { limits: { logBytes: 3000 }, sync: 'batch' as const }
    const { acknowledged, refused } = await write(dir, options, 60) // one synchronous burst: compaction cannot run
    expect(refused).toBeGreaterThan(0)
    const db = await openStore(dir, options)
    expect(db.dump()).toEqual(acknowledged)
    await db.close()
  })

  it('a snapshot is never written past limits.snapshotBytes: the history it carries is trimmed to fit', async () => {
    const dir = fresh()
    const options = { limits: { snapshotBytes: 12_000 } }
    const { acknowledged } = await write(dir, options, 60, 20)
    const db = await openStore(dir, options)
    expect(db.dump()).toEqual(acknowledged)
    await db.close()
  })

  it('a document over limits.snapshotBytes fails its compaction, and the store still reopens from its logs', async () => {
    const dir = fresh()
    const options = { limits: { snapshotBytes: 3000 } }
    const db = await openStore(dir, { value: { rows: [] as string[] }, ...options })
    for (let i = 0; i < 60; i++) db.apply(row(i))
    await expect(db.compact()).rejects.toThrow(/limits\.snapshotBytes/)
    await db.flush()
    const acknowledged = db.dump()
    await db.close()
    const again = await openStore(dir, options)
    expect(again.dump()).toEqual(acknowledged)
    await again.close()
  })

  it('whatever the limits and compaction thresholds, an acknowledged store reopens with the options it was written with', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          logBytes: fc.integer({ min: 1200, max: 20_000 }),
          snapshotBytes: fc.integer({ min: 2000, max: 40_000 }),
          maxBytes: fc.integer({ min: 100, max: 1 << 20 }),
          count: fc.integer({ min: 1, max: 80 }),
          compactEvery: fc.integer({ min: 0, max: 30 }),
          sync: fc.constantFrom('always' as const, 'batch' as const),
        }),
        async ({ logBytes, snapshotBytes, maxBytes, count, compactEvery, sync }) => {
          const dir = fresh()
          const options = { limits: { logBytes, snapshotBytes }, compact: { maxBytes }, sync }
          let acknowledged
          try {
            ;({ acknowledged } = await write(dir, options, count, compactEvery))
          } catch (e) {
            // Only the initial document may be refused (it alone is over snapshotBytes): nothing was acknowledged.
            expect(String(e)).toMatch(/limits\.snapshotBytes/)
            return
          }
          const db = await openStore(dir, options)
          expect(db.dump()).toEqual(acknowledged)
          await db.close()
        },
      ),
      { numRuns: 40 },
    )
  }, 120_000)

  it('bad limits are refused at open, before anything is created (NaN would turn a bound on untrusted reads off)', async () => {
    for (const limits of [{ recordBytes: NaN }, { logBytes: -1 }, { snapshotBytes: 0 }, { recordBytes: '50' }]) {
      const dir = fresh()
      await expect(openStore(dir, { value: {}, limits: limits as never })).rejects.toThrow(TypeError)
      expect(fs.readdirSync(dir)).toEqual([])
    }
  })
})
