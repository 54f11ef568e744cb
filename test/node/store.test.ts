import fs from 'node:fs'
import path from 'node:path'
import { deepEqual, type Revision } from 'patchdb'
import { openStore, StoreClosedError, type DiskIO } from 'patchdb/node'
import { describe, expect, it } from 'vitest'
import { dirs, only } from './fixtures/dirs'
import { initialValue, patchFor } from './fixtures/stream'

const fresh = dirs('store')

/** node:fs, counting log fsyncs. */
function counting() {
  const count = { fsync: 0 }
  const io: DiskIO = {
    ...fs,
    fsyncSync: (fd) => (count.fsync++, fs.fsyncSync(fd)),
    fsync: (fd, cb) => (count.fsync++, fs.fsync(fd, cb)),
  }
  return { io, count }
}

describe('openStore: the core API, durable', () => {
  it('keeps the core semantics (watchers, transactions, history) and persists every revision', async () => {
    const dir = fresh()
    const db = await openStore<{ todos: { title: string; done: boolean }[] }>(dir, { value: { todos: [] } })
    const seen: unknown[] = []
    db.watch('/todos/0/done', (v) => seen.push(v))
    db.apply([{ op: 'add', path: '/todos/-', value: { title: 'a', done: false } }])
    db.transact((tx) => {
      tx.set('/todos/0/done', true)
      tx.apply([{ op: 'add', path: '/todos/-', value: { title: 'b', done: false } }])
    })
    expect(db.apply([{ op: 'test', path: '/todos/0/done', value: true }])).toBeNull() // no-op: no record
    expect(() => db.apply([{ op: 'remove', path: '/nope' }])).toThrow() // atomic: no record
    expect(seen).toEqual([false, true]) // added, then toggled
    expect(db.log().map((e) => e.id)).toEqual([1, 2])
    expect(db.valueAt(1)).toEqual({ todos: [{ title: 'a', done: false }] })
    await db.close()
    const again = await openStore(dir)
    expect(again.revision).toBe(2)
    expect(again.get()).toEqual({ todos: [{ title: 'a', done: true }, { title: 'b', done: false }] })
    expect(again.recovery.replayed).toBe(2)
    await again.close()
  })

  it("sync 'always' fsyncs each revision before apply returns", async () => {
    const { io, count } = counting()
    const db = await openStore(fresh(), { value: initialValue, sync: 'always', io })
    for (let i = 1; i <= 20; i++) {
      db.apply(patchFor(i))
      expect(count.fsync).toBe(i)
    }
    await db.close()
  })

  it("sync 'batch': 10,000 applies cost a handful of fsyncs; flush resolves once they are durable", async () => {
    const { io, count } = counting()
    const dir = fresh()
    const db = await openStore(dir, { value: initialValue, sync: 'batch', io })
    for (let i = 1; i <= 10_000; i++) db.apply(patchFor(i))
    expect(count.fsync).toBe(0) // apply returned at once
    await db.flush()
    expect(count.fsync).toBeGreaterThan(0)
    expect(count.fsync).toBeLessThanOrEqual(5)
    expect(fs.statSync(only(dir, '.log')).size).toBeGreaterThan(10_000 * 20)
    await db.close()
  })

  it("sync 'none' writes without fsync", async () => {
    const { io, count } = counting()
    const dir = fresh()
    const db = await openStore(dir, { value: initialValue, sync: 'none', io })
    for (let i = 1; i <= 100; i++) db.apply(patchFor(i))
    await db.close()
    expect(count.fsync).toBe(0)
    const again = await openStore(dir)
    expect(again.revision).toBe(100)
    await again.close()
  })

  it('persists a dump loaded with update(), whose id jumps ahead, and the revisions after it', async () => {
    const dir = fresh()
    const db = await openStore<Record<string, number>>(dir, { value: { a: 1 } })
    db.set('/a', 2)
    expect(db.update({ id: 50, value: { b: 1 } }).status).toBe('applied')
    expect(db.update({ id: 51, patch: [{ op: 'add', path: '/c', value: 3 }] }).status).toBe('applied')
    await db.close()
    const again = await openStore(dir)
    expect(again.revision).toBe(51)
    expect(again.get()).toEqual({ b: 1, c: 3 })
    await again.close()
  })

  it('close() is idempotent; writes after it throw StoreClosedError and change nothing', async () => {
    const db = await openStore(fresh(), { value: { a: 1 } })
    const first = db.close()
    expect(db.close()).toBe(first)
    await first
    expect(() => db.set('/a', 2)).toThrow(StoreClosedError)
    expect(() => db.update({ id: 1, patch: [{ op: 'replace', path: '/a', value: 3 }] })).toThrow(StoreClosedError)
    expect(db.get()).toEqual({ a: 1 })
    expect(db.revision).toBe(0)
    await expect(db.compact()).rejects.toThrow(StoreClosedError)
  })

  it('nothing is rewritten on open', async () => {
    const dir = fresh()
    const db = await openStore(dir, { value: initialValue })
    for (let i = 1; i <= 50; i++) db.apply(patchFor(i))
    await db.close()
    const read = () => fs.readdirSync(dir).map((n) => [n, fs.readFileSync(path.join(dir, n)).toString('base64'), fs.statSync(path.join(dir, n)).mtimeMs])
    const before = read()
    const again = await openStore(dir)
    await again.close()
    expect(read()).toEqual(before)
  })
})

describe('compaction', () => {
  it('runs past the record threshold: a new generation, the old one deleted once the new snapshot is durable', async () => {
    const dir = fresh()
    const db = await openStore(dir, { value: initialValue, compact: { maxRecords: 100 } })
    for (let i = 1; i <= 250; i++) {
      db.apply(patchFor(i))
      if (i % 10 === 0) await db.flush()
    }
    await db.close()
    const snaps = fs.readdirSync(dir).filter((n) => n.endsWith('.snap'))
    expect(snaps).toHaveLength(1)
    expect(Number.parseInt(snaps[0]!)).toBeGreaterThanOrEqual(3)
    const again = await openStore(dir)
    expect(again.revision).toBe(250)
    expect(again.recovery.replayed).toBeLessThan(100)
    await again.close()
  })

  it('runs past the byte threshold', async () => {
    const dir = fresh()
    const db = await openStore(dir, { value: initialValue, compact: { maxBytes: 4096 } })
    for (let i = 1; i <= 200; i++) db.apply(patchFor(i))
    await db.flush()
    await new Promise((r) => setTimeout(r, 50))
    await db.close()
    expect(fs.statSync(only(dir, '.log')).size).toBeLessThan(4096 + 200)
  })

  it('compact() does not block apply; revisions made meanwhile go to the new log', async () => {
    const dir = fresh()
    const db = await openStore(dir, { value: initialValue })
    for (let i = 1; i <= 100; i++) db.apply(patchFor(i))
    const seen: Revision[] = []
    db.subscribe((r) => seen.push(r))
    const compaction = db.compact()
    for (let i = 101; i <= 150; i++) db.apply(patchFor(i)) // while the snapshot is written
    expect(seen).toHaveLength(50)
    await compaction
    await db.close()
    const again = await openStore(dir)
    expect(again.revision).toBe(150)
    expect(again.recovery.replayed).toBe(50)
    expect(deepEqual(again.get(), db.get())).toBe(true)
    await again.close()
  })
})
