import './environment'
import { describe, expect, it, vi } from 'vitest'
import { openBrowserStore } from 'patchdb/browser'
import { freshName } from './environment'
import { readRaw } from './raw-idb'

interface Doc {
  items: number[]
  title?: string
}

describe('patchdb/browser persistence', () => {
  it('creates a new database with the initial value at revision 0, written as the first snapshot', async () => {
    const name = freshName('new')
    const db = await openBrowserStore<Doc>(name, { value: { items: [] } })
    expect(db.role).toBe('writer')
    expect(db.revision).toBe(0)
    expect(db.get()).toEqual({ items: [] })
    const raw = await readRaw(name)
    expect(raw.snapshot).toEqual({ format: 1, id: 0, value: { items: [] } })
    expect(raw.log).toEqual([])
    await db.close()
  })

  it('keeps every flushed revision across close and reopen, and ignores the initial value then', async () => {
    const name = freshName('reopen')
    const db = await openBrowserStore<Doc>(name, { value: { items: [] } })
    db.apply([{ op: 'add', path: '/items/-', value: 1 }])
    db.set('/title', 'hello')
    db.transact((tx) => {
      tx.apply([{ op: 'add', path: '/items/-', value: 2 }])
      tx.apply([{ op: 'add', path: '/items/-', value: 3 }])
    })
    await db.close()

    const again = await openBrowserStore<Doc>(name, { value: { items: [99] } })
    expect(again.revision).toBe(3)
    expect(again.get()).toEqual({ items: [1, 2, 3], title: 'hello' })
    // The log was replayed through the store, so history (undo, time travel) is back too.
    expect(again.valueAt(1)).toEqual({ items: [1] })
    await again.close()
  })

  it('a long log reopens fast (applied as one patch) and keeps the last `history` revisions for undo', async () => {
    const name = freshName('long')
    const db = await openBrowserStore<Doc>(name, { value: { items: [] }, history: 5 })
    for (let i = 0; i < 20; i++) db.apply([{ op: 'add', path: '/items/-', value: i }])
    await db.close()
    const again = await openBrowserStore<Doc>(name, { history: 5 })
    expect(again.revision).toBe(20)
    expect(again.get().items).toEqual(Array.from({ length: 20 }, (_, i) => i))
    expect(again.log().map((e) => e.id)).toEqual([16, 17, 18, 19, 20])
    expect(again.valueAt(15).items).toHaveLength(15)
    await again.close()
  })

  it('flush resolves once the revisions are in IndexedDB', async () => {
    const name = freshName('flush')
    const db = await openBrowserStore<Doc>(name, { value: { items: [] } })
    for (let i = 0; i < 5; i++) db.apply([{ op: 'add', path: '/items/-', value: i }])
    await db.flush()
    const raw = await readRaw(name)
    expect(raw.log.map((r) => r.key)).toEqual([1, 2, 3, 4, 5])
    expect(raw.log[4]!.value).toEqual({ id: 5, patch: [{ op: 'add', path: '/items/-', value: 4 }] })
    await db.close()
  })

  it('group-commits a synchronous burst: 1,000 applies cost a handful of transactions', async () => {
    const name = freshName('burst')
    const db = await openBrowserStore<Doc>(name, { value: { items: [] }, compact: { records: 10_000 } })
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction')
    for (let i = 0; i < 1000; i++) db.apply([{ op: 'add', path: '/items/-', value: i }])
    await db.flush()
    const writes = transaction.mock.calls.filter((c) => c[1] === 'readwrite').length
    transaction.mockRestore()
    expect(writes).toBeGreaterThanOrEqual(1)
    expect(writes).toBeLessThanOrEqual(3)
    expect((await readRaw(name)).log).toHaveLength(1000)
    await db.close()
  })

  it('compacts past the record threshold: snapshot moves forward, the log stays short, reopen is exact', async () => {
    const name = freshName('compact')
    const db = await openBrowserStore<Doc>(name, { value: { items: [] }, compact: { records: 10 } })
    for (let i = 0; i < 25; i++) {
      db.apply([{ op: 'add', path: '/items/-', value: i }])
      await db.flush() // one transaction each, so the threshold is crossed step by step
    }
    const raw = await readRaw(name)
    expect(raw.snapshot.id).toBeGreaterThan(10)
    expect(raw.log.length).toBeLessThanOrEqual(10)
    expect(raw.log.map((r) => r.value.id)).toEqual(Array.from({ length: raw.log.length }, (_, i) => raw.snapshot.id + 1 + i))
    await db.close()

    const again = await openBrowserStore<Doc>(name)
    expect(again.revision).toBe(25)
    expect(again.get().items).toEqual(Array.from({ length: 25 }, (_, i) => i))
    await again.close()
  })

  it('compacts past the byte threshold', async () => {
    const name = freshName('compact-bytes')
    const db = await openBrowserStore<Doc>(name, { value: { items: [] }, compact: { bytes: 2000 } })
    for (let i = 0; i < 10; i++) {
      db.set('/title', 'x'.repeat(500) + i)
      await db.flush()
    }
    const raw = await readRaw(name)
    expect(raw.snapshot.id).toBeGreaterThan(0)
    expect(raw.log.length).toBeLessThan(4)
    await db.close()
  })

  it('compact() writes a snapshot of the current revision and empties the log', async () => {
    const name = freshName('compact-now')
    const db = await openBrowserStore<Doc>(name, { value: { items: [] } })
    for (let i = 0; i < 7; i++) db.apply([{ op: 'add', path: '/items/-', value: i }])
    await db.compact()
    const raw = await readRaw(name)
    expect(raw.snapshot).toEqual({ format: 1, id: 7, value: { items: [0, 1, 2, 3, 4, 5, 6] } })
    expect(raw.log).toEqual([])
    db.apply([{ op: 'add', path: '/items/-', value: 7 }])
    await db.close()
    const again = await openBrowserStore<Doc>(name)
    expect(again.dump()).toEqual({ id: 8, value: { items: [0, 1, 2, 3, 4, 5, 6, 7] } })
    await again.close()
  })

  it('a dump loaded with update() replaces the snapshot (ids may jump)', async () => {
    const name = freshName('dump')
    const db = await openBrowserStore<Doc>(name, { value: { items: [] } })
    db.apply([{ op: 'add', path: '/items/-', value: 1 }])
    expect(db.update({ id: 40, value: { items: [4, 0] } }).status).toBe('applied')
    db.apply([{ op: 'add', path: '/items/-', value: 41 }])
    await db.flush()
    const raw = await readRaw(name)
    expect(raw.snapshot.id).toBeGreaterThanOrEqual(40)
    await db.close()
    const again = await openBrowserStore<Doc>(name)
    expect(again.dump()).toEqual({ id: 41, value: { items: [4, 0, 41] } })
    await again.close()
  })

  it('a patch too large for a log record is persisted as a snapshot instead', async () => {
    const name = freshName('big')
    const db = await openBrowserStore<Doc>(name, { value: { items: [] }, limits: { patchBytes: 1000 } })
    db.set('/title', 'y'.repeat(5000))
    await db.flush()
    const raw = await readRaw(name)
    expect(raw.snapshot.id).toBe(1)
    expect(raw.log).toEqual([])
    await db.close()
    const again = await openBrowserStore<Doc>(name, { limits: { patchBytes: 1000 } })
    expect(again.get().title).toHaveLength(5000)
    await again.close()
  })

  it('close is idempotent; writes after close throw a clear error; reads still work', async () => {
    const db = await openBrowserStore<Doc>(freshName('close'), { value: { items: [1] } })
    const first = db.close()
    expect(db.close()).toBe(first)
    await first
    expect(() => db.apply([{ op: 'add', path: '/items/-', value: 2 }])).toThrow(/is closed/)
    expect(() => db.set('/title', 'x')).toThrow(/is closed/)
    expect(db.get()).toEqual({ items: [1] })
  })

  it('a refused patch changes nothing, in memory or on disk', async () => {
    const name = freshName('refused')
    const db = await openBrowserStore<Doc>(name, { value: { items: [] } })
    expect(() => db.apply([{ op: 'remove', path: '/missing' }])).toThrow(expect.objectContaining({ code: 'PATH_NOT_FOUND' }))
    await db.flush()
    expect(db.revision).toBe(0)
    expect((await readRaw(name)).log).toEqual([])
    await db.close()
  })

  it('watchers and subscribers work as in the core store', async () => {
    const db = await openBrowserStore<Doc>(freshName('watch'), { value: { items: [] } })
    const seen: unknown[] = []
    db.watch('/title', (v) => seen.push(v))
    db.set('/title', 'a')
    db.apply([{ op: 'add', path: '/items/-', value: 1 }])
    db.set('/title', 'b')
    expect(seen).toEqual(['a', 'b'])
    await db.close()
  })
})
