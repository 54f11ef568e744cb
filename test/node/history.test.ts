import fs from 'node:fs'
import { deepEqual } from 'patchdb'
import { openStore, type DurableStore } from 'patchdb/node'
import { describe, expect, it } from 'vitest'
import { dirs, only } from './fixtures/dirs'

const fresh = dirs('history')
type Doc = { n: number; list: number[]; tags: Record<string, string> }
const initial: Doc = { n: 0, list: [], tags: {} }

/** Revision i: a replace, an add or a remove, and a keyed write, so inverses of every kind are rebuilt. */
function write(db: DurableStore<Doc>, i: number) {
  db.transact((tx) => {
    tx.set('/n', i)
    if (i % 3 === 0 && tx.get('/list').length > 0) tx.apply([{ op: 'remove', path: '/list/0' }])
    else tx.apply([{ op: 'add', path: '/list/-', value: i }])
    tx.set(`/tags/t${i % 7}`, `v${i}`)
  })
}

/** Every retained revision's value, and the log's ids, as the store sees them. */
function retained(db: DurableStore<Doc>) {
  const ids = db.log().map((e) => e.id)
  return { ids, values: ids.map((id) => db.valueAt(id - 1)), now: db.get() }
}

function expectSameHistory(a: ReturnType<typeof retained>, b: ReturnType<typeof retained>) {
  expect(b.ids).toEqual(a.ids)
  a.values.forEach((v, i) => expect(deepEqual(b.values[i], v), `valueAt(${a.ids[i]! - 1})`).toBe(true))
  expect(deepEqual(b.now, a.now)).toBe(true)
}

describe('history survives a reopen', () => {
  it('300 revisions with history 100: after close and reopen, log() and valueAt of every retained id are unchanged', async () => {
    const dir = fresh()
    const db = await openStore<Doc>(dir, { value: initial, history: 100, compact: { maxRecords: 1e9 } })
    for (let i = 1; i <= 300; i++) write(db, i)
    const before = retained(db)
    expect(before.ids).toHaveLength(100)
    await db.close()
    const again = await openStore<Doc>(dir, { history: 100 })
    expectSameHistory(before, retained(again))
    expect(again.valueAt(200)).toEqual(before.values[0])
    expect(() => again.valueAt(199)).toThrow(RangeError) // not retained, as before the restart
    // Undo works on across the restart: the inverse of the last revision restores revision 299.
    again.apply(again.log().at(-1)!.inverse)
    expect(again.get()).toEqual(before.values.at(-1))
    await again.close()
  })

  it('across a compaction: the snapshot carries the retained revisions, so the history is the same as without it', async () => {
    const dir = fresh()
    const db = await openStore<Doc>(dir, { value: initial, history: 100 })
    for (let i = 1; i <= 250; i++) write(db, i)
    await db.compact()
    for (let i = 251; i <= 300; i++) write(db, i)
    const before = retained(db)
    await db.close()
    const again = await openStore<Doc>(dir, { history: 100 })
    expectSameHistory(before, retained(again)) // ids 201..250 from the snapshot, 251..300 from the log
    await again.compact() // compacted with nothing after it: all 100 come from the snapshot
    await again.close()
    const third = await openStore<Doc>(dir, { history: 100 })
    expectSameHistory(before, retained(third))
    await third.close()
  })

  it('a smaller history on reopen keeps the newest revisions; a larger one holds what was on disk', async () => {
    const dir = fresh()
    const db = await openStore<Doc>(dir, { value: initial, history: 50 })
    for (let i = 1; i <= 120; i++) write(db, i)
    await db.compact()
    for (let i = 121; i <= 130; i++) write(db, i)
    const before = retained(db)
    await db.close()
    const small = await openStore<Doc>(dir, { history: 5 })
    expect(small.log().map((e) => e.id)).toEqual([126, 127, 128, 129, 130])
    await small.close()
    const large = await openStore<Doc>(dir, { history: 1000 })
    // The snapshot holds the 50 retained when it was written; the log adds the 10 after it.
    expect(large.log().map((e) => e.id)).toEqual(Array.from({ length: 60 }, (_, i) => 71 + i))
    for (const id of before.ids) expect(deepEqual(large.valueAt(id - 1), before.values[before.ids.indexOf(id)])).toBe(true)
    await large.close()
  })

  it('the history a snapshot carries is bounded by its document: revisions that replace a large value are not all copied', async () => {
    const dir = fresh()
    const db = await openStore<{ big: string }>(dir, { value: { big: '' }, history: 100 })
    for (let i = 0; i < 30; i++) db.set('/big', String.fromCharCode(97 + (i % 26)).repeat(200_000))
    const before = db.log().map((e) => ({ id: e.id, value: db.valueAt(e.id - 1) }))
    await db.compact()
    await db.close()
    // 200 KB of document; each revision carries 400 KB (its patch and its inverse).
    expect(fs.statSync(only(dir, '.snap')).size).toBeLessThan(2_000_000)
    const again = await openStore<{ big: string }>(dir, { history: 100 })
    const kept = again.log()
    expect(kept.length).toBeGreaterThan(0)
    expect(kept.length).toBeLessThan(30)
    expect(kept.at(-1)!.id).toBe(30) // the newest are the ones kept
    for (const e of kept) expect(again.valueAt(e.id - 1)).toEqual(before.find((b) => b.id === e.id)!.value)
    await again.close()
  })

  it('a dump that jumps ahead restarts the history after a reopen as it does before', async () => {
    const dir = fresh()
    const db = await openStore<Doc>(dir, { value: initial, history: 100 })
    for (let i = 1; i <= 10; i++) write(db, i)
    db.update({ id: 50, value: { ...initial, n: 50 } })
    for (let i = 51; i <= 55; i++) write(db, i)
    const before = retained(db)
    expect(before.ids).toEqual([51, 52, 53, 54, 55])
    await db.close()
    const again = await openStore<Doc>(dir, { history: 100 })
    expectSameHistory(before, retained(again))
    await again.close()
  })
})
