import type { JsonValue } from 'patchdb'
import { createInspector } from 'patchdb/devtools'
import { openStore } from 'patchdb/node'
import { describe, expect, it } from 'vitest'
import { dirs } from '../node/fixtures/dirs'

const fresh = dirs('devtools')

describe('devtools over a durable store', () => {
  it('travel is never persisted: a compaction while devtools show a past revision snapshots the head', async () => {
    const dir = fresh()
    const db = await openStore<JsonValue>(dir, { value: { n: 0 }, sync: 'none', history: 0 }) // no history: the snapshot's document is all there is
    const inspector = createInspector(db)
    db.set('/n', 1)
    db.set('/n', 2)
    inspector.jump(1)
    expect(db.get('/n')).toBe(1)
    await db.compact()
    await db.close() // still travelling
    inspector.close()
    const again = await openStore<JsonValue>(dir)
    expect(again.revision).toBe(2)
    expect(again.get()).toEqual({ n: 2 })
    await again.close()
  })

  it('a skip is persisted as one ordinary revision, and reopens as the replayed head', async () => {
    const dir = fresh()
    const db = await openStore<JsonValue>(dir, { value: { a: 0, b: 0 }, sync: 'none' })
    const inspector = createInspector(db)
    db.set('/a', 1)
    db.set('/b', 1)
    inspector.toggle(1)
    expect(db.revision).toBe(3)
    await db.close()
    const again = await openStore<JsonValue>(dir)
    expect(again.get()).toEqual({ a: 0, b: 1 })
    expect(again.revision).toBe(3)
    await again.close()
  })
})
