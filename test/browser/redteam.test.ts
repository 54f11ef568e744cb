import './environment'
import fc from 'fast-check'
import { openBrowserStore, type BrowserStore, type BrowserStoreOptions } from 'patchdb/browser'
import { describe, expect, it } from 'vitest'
import { freshName } from './environment'

type Doc = { rows: string[] }
const row = (i: number, size: number) => [{ op: 'add' as const, path: '/rows/-', value: `${i}:${'x'.repeat(size)}` }]

describe('patchdb/browser red team', () => {
  it('whatever the limits and compaction thresholds, what flush() acknowledged reopens with the same options', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          patchBytes: fc.integer({ min: 50, max: 5000 }),
          snapshotBytes: fc.integer({ min: 200, max: 20_000 }),
          records: fc.integer({ min: 1, max: 50 }),
          compactRecords: fc.integer({ min: 1, max: 100 }),
          compactBytes: fc.integer({ min: 10, max: 50_000 }),
          sizes: fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 40 }),
        }),
        async ({ patchBytes, snapshotBytes, records, compactRecords, compactBytes, sizes }) => {
          const name = freshName('redteam-limits')
          const options: BrowserStoreOptions<Doc> = { limits: { patchBytes, snapshotBytes, records }, compact: { records: compactRecords, bytes: compactBytes } }
          let db
          try {
            db = await openBrowserStore<Doc>(name, { value: { rows: [] }, ...options })
          } catch {
            return // an initial document over the limits is refused: nothing acknowledged
          }
          for (const [i, size] of sizes.entries()) {
            const before = db.revision
            try {
              db.apply(row(i, size))
            } catch {
              expect(db.revision).toBe(before)
            }
          }
          await db.flush()
          const acknowledged = db.dump()
          await db.close()
          const again = await openBrowserStore<Doc>(name, options)
          expect(again.dump()).toEqual(acknowledged)
          await again.close()
        },
      ),
      { numRuns: 60 },
    )
  }, 120_000)

  it('timeout: Infinity means a forwarded write never times out (it does not fire at once)', async () => {
    const name = freshName('redteam-timeout')
    const stores: BrowserStore<Doc>[] = []
    try {
      for (let i = 0; i < 2; i++) stores.push(await openBrowserStore<Doc>(name, { value: { rows: [] }, timeout: Infinity }))
      const follower = stores[1]!
      expect(follower.role).toBe('follower')
      const revision = await follower.submit(row(0, 1))
      expect(revision?.id).toBe(1)
      expect(follower.get('/rows')).toEqual(['0:x'])
    } finally {
      for (const s of stores.reverse()) await s.close()
    }
  })

  it('a timeout longer than setTimeout can hold waits instead of firing at once', async () => {
    const name = freshName('redteam-timeout')
    const stores: BrowserStore<Doc>[] = []
    try {
      for (let i = 0; i < 2; i++) stores.push(await openBrowserStore<Doc>(name, { value: { rows: [] }, timeout: 2 ** 31 }))
      expect((await stores[1]!.submit(row(0, 1)))?.id).toBe(1)
    } finally {
      for (const s of stores.reverse()) await s.close()
    }
  })

  it('bad timeout and limits options are refused at open (NaN would turn a bound off or time out at once)', async () => {
    for (const options of [{ timeout: NaN }, { timeout: -1 }, { timeout: '100' }, { limits: { patchBytes: NaN } }, { limits: { records: 0 } }, { limits: { snapshotBytes: -5 } }]) {
      const name = freshName('redteam-options')
      await expect(openBrowserStore(name, { value: {}, ...(options as BrowserStoreOptions<unknown>) })).rejects.toThrow(TypeError)
    }
  })
})
