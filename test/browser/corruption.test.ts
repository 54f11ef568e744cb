import './environment'
import { describe, expect, it } from 'vitest'
import { CorruptionError, openBrowserStore } from 'patchdb/browser'
import { freshName } from './environment'
import { openRaw, plant, readRaw } from './raw-idb'

const snapshot = (id: number, value: unknown) => ['snapshot', { format: 1, id, value }] as [string, unknown]
const record = (id: number, patch: unknown) => [id, { id, patch }] as [number, unknown]
const add = (v: number) => [{ op: 'add', path: '/items/-', value: v }]

/** Opens `name` and returns the CorruptionError it fails with. */
async function corruption(name: string): Promise<CorruptionError> {
  const error = await openBrowserStore(name).then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(CorruptionError)
  return error as CorruptionError
}

describe('patchdb/browser: bad or missing records', () => {
  it('an absent database is created empty, from the initial value', async () => {
    const db = await openBrowserStore(freshName('absent'), { value: { fresh: true } })
    expect(db.dump()).toEqual({ id: 0, value: { fresh: true } })
    await db.close()
  })

  it('a log without its snapshot', async () => {
    const name = freshName('no-snapshot')
    await plant(name, { log: [record(1, add(1))] })
    const e = await corruption(name)
    expect(e.record).toBe('snapshot')
    expect(e.message).toMatch(/missing/)
  })

  it('a snapshot from a newer format is refused, not misread', async () => {
    const name = freshName('newer')
    await plant(name, { meta: [['snapshot', { format: 2, id: 3, value: {} }]] })
    expect((await corruption(name)).message).toMatch(/newer patchdb \(format 2/)
  })

  it('a snapshot that is not a record, or has a bad id', async () => {
    const a = freshName('snapshot-shape')
    await plant(a, { meta: [['snapshot', 'hello']] })
    expect((await corruption(a)).message).toMatch(/not a snapshot record/)
    const b = freshName('snapshot-id')
    await plant(b, { meta: [['snapshot', { format: 1, id: -4, value: {} }]] })
    expect((await corruption(b)).message).toMatch(/bad revision id -4/)
  })

  it('a snapshot document that is not plain JSON (a Date survives structured clone, not JSON)', async () => {
    const name = freshName('snapshot-value')
    await plant(name, { meta: [snapshot(0, { when: new Date(0) })] })
    const e = await corruption(name)
    expect(e.record).toBe('snapshot')
    expect(e.cause).toMatchObject({ code: 'VALUE_INVALID' })
  })

  it('a snapshot over limits.snapshotBytes', async () => {
    const name = freshName('snapshot-size')
    await plant(name, { meta: [snapshot(0, { text: 'z'.repeat(3000) })] })
    const error = await openBrowserStore(name, { limits: { snapshotBytes: 1000 } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CorruptionError)
    expect((error as Error).message).toMatch(/over limits.snapshotBytes \(1000\)/)
  })

  it('a gap in the log names the record', async () => {
    const name = freshName('gap')
    await plant(name, { meta: [snapshot(0, { items: [] })], log: [record(1, add(1)), record(3, add(3))] })
    const e = await corruption(name)
    expect(e.record).toBe('log/3')
    expect(e.message).toMatch(/expected revision 2, found 3/)
  })

  it('a record whose key and id differ', async () => {
    const name = freshName('key')
    await plant(name, { meta: [snapshot(0, { items: [] })], log: [[1, { id: 7, patch: add(1) }]] })
    expect((await corruption(name)).message).toMatch(/key 1 does not match id 7/)
  })

  it('a record whose patch does not apply (the core refuses it)', async () => {
    const name = freshName('bad-patch')
    await plant(name, { meta: [snapshot(0, { items: [] })], log: [record(1, add(1)), record(2, [{ op: 'remove', path: '/nope' }])] })
    const e = await corruption(name)
    expect(e.record).toBe('log/2')
    expect(e.cause).toMatchObject({ code: 'PATH_NOT_FOUND' })
  })

  it('a bad record among those replayed in bulk is still named', async () => {
    const name = freshName('bad-bulk')
    const log = [record(1, add(1)), record(2, [{ op: 'replace', path: '/nope', value: 1 }]), record(3, add(3)), record(4, add(4))]
    await plant(name, { meta: [snapshot(0, { items: [] })], log })
    const error = await openBrowserStore(name, { history: 1 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CorruptionError)
    expect((error as CorruptionError).record).toBe('log/2')
  })

  it('a record that is not a patch, or one over limits.patchBytes', async () => {
    const a = freshName('not-patch')
    await plant(a, { meta: [snapshot(0, {})], log: [record(1, { op: 'add' })] })
    expect((await corruption(a)).message).toMatch(/patch is not an array/)
    const b = freshName('big-patch')
    await plant(b, { meta: [snapshot(0, {})], log: [record(1, [{ op: 'add', path: '/t', value: 'q'.repeat(2000) }])] })
    const error = await openBrowserStore(b, { limits: { patchBytes: 500 } }).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/over limits.patchBytes \(500\)/)
  })

  it('more log records than limits.records', async () => {
    const name = freshName('many')
    await plant(name, { meta: [snapshot(0, { items: [] })], log: [1, 2, 3, 4].map((i) => record(i, add(i))) })
    const error = await openBrowserStore(name, { limits: { records: 3 } }).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/more than limits.records \(3\)/)
  })

  it('salvage keeps the snapshot and the valid prefix, reports what it dropped, and rewrites the database', async () => {
    const name = freshName('salvage')
    await plant(name, {
      meta: [snapshot(0, { items: [] })],
      log: [record(1, add(1)), record(2, add(2)), record(3, [{ op: 'test', path: '/items/0', value: 5 }]), record(4, add(4))],
    })
    const db = await openBrowserStore<{ items: number[] }>(name, { salvage: true })
    expect(db.dump()).toEqual({ id: 2, value: { items: [1, 2] } })
    expect(db.salvaged).toMatchObject({ count: 2 })
    expect(db.salvaged!.reason).toMatch(/log\/3/)
    await db.close()
    // The writer compacted: the bad records are gone and a plain open works.
    expect(await readRaw(name)).toEqual({ snapshot: { format: 1, id: 2, value: { items: [1, 2] } }, log: [] })
    const again = await openBrowserStore(name)
    expect(again.revision).toBe(2)
    expect(again.salvaged).toBeNull()
    await again.close()
  })

  it('a database of the same name that patchdb did not make', async () => {
    const name = freshName('foreign')
    ;(await openRaw(name, ['other'])).close()
    await expect(openBrowserStore(name)).rejects.toThrow(/was not made by patchdb/)
  })
})
