import fs from 'node:fs'
import { openStore, VersionError } from 'patchdb/node'
import { describe, expect, it } from 'vitest'
import { dirs } from './fixtures/dirs'

const fresh = dirs('migrate')

/** A v1 store: a snapshot plus a log of revisions made against the v1 shape. */
async function v1Store() {
  const dir = fresh()
  const db = await openStore(dir, { value: { name: 'Ada Lovelace' }, schemaVersion: 1 })
  db.set('/name', 'Grace Hopper')
  await db.close()
  return dir
}

describe('schema migrations', () => {
  it('run in order on open, on the fully recovered document, once; the result is a new snapshot', async () => {
    const dir = await v1Store()
    const calls: number[] = []
    const migrate = {
      2: (doc: { name: string }) => (calls.push(2), { first: doc.name.split(' ')[0], last: doc.name.split(' ')[1] }),
      3: (doc: { first: string; last: string }) => (calls.push(3), { ...doc, tags: [] }),
    }
    const db = await openStore(dir, { schemaVersion: 3, migrate })
    expect(calls).toEqual([2, 3])
    expect(db.get()).toEqual({ first: 'Grace', last: 'Hopper', tags: [] })
    expect(db.recovery.migrated).toEqual({ from: 1, to: 3 })
    expect(db.revision).toBe(1)
    db.apply([{ op: 'add', path: '/tags/-', value: 'navy' }])
    await db.close()
    expect(fs.readdirSync(dir).sort()).toEqual(['0000000002.log', '0000000002.snap', 'MANIFEST'])
    const again = await openStore(dir, { schemaVersion: 3, migrate })
    expect(calls).toEqual([2, 3]) // not again
    expect(again.get()).toEqual({ first: 'Grace', last: 'Hopper', tags: ['navy'] })
    expect(again.recovery.migrated).toBeUndefined()
    await again.close()
  })

  it('a migration that throws leaves the store as it was', async () => {
    const dir = await v1Store()
    const before = fs.readdirSync(dir).sort()
    const boom = () => {
      throw new Error('bad migration')
    }
    await expect(openStore(dir, { schemaVersion: 2, migrate: { 2: boom } })).rejects.toThrow('bad migration')
    expect(fs.readdirSync(dir).sort()).toEqual(before)
    const db = await openStore(dir, { schemaVersion: 1 })
    expect(db.get()).toEqual({ name: 'Grace Hopper' })
    await db.close()
  })

  it('a stored schema version newer than the code is refused', async () => {
    const dir = await v1Store()
    const err = await openStore(dir, { schemaVersion: 0 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(VersionError)
    expect(err).toMatchObject({ kind: 'schema', stored: 1, supported: 0 })
  })
})
