import { describe, expect, it } from 'vitest'
import { createStore, PatchError, type JsonValue } from 'patchdb'

/*
 * A store that does not freeze writes in place the nodes it made and nobody was handed
 * (transients). These are the cases where a node written in place could be seen, each
 * built so that the first write makes the nodes transient and nothing reads them before
 * the write under test. The property tests in transients.property.test.ts cover the rest.
 */
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, value: 0 }))
const production = <T extends JsonValue>(value: T) => createStore<JsonValue>({ value }, { freeze: false })

describe('transients: a node written in place is one nobody was handed', () => {
  it('a row handed to its watcher keeps its value while later writes change the same row and its array', () => {
    const store = production({ rows: rows(3) })
    const seen: unknown[] = []
    store.watch('/rows/1', (row) => seen.push(row))
    for (let v = 1; v <= 3; v++) store.apply([{ op: 'replace', path: '/rows/1/value', value: v }])
    store.apply([{ op: 'replace', path: '/rows/0/value', value: 9 }])
    expect(seen).toEqual([
      { id: 1, value: 1 },
      { id: 1, value: 2 },
      { id: 1, value: 3 },
    ])
    expect(new Set(seen).size).toBe(3)
  })

  it('an array read with get keeps its contents while later writes go into it', () => {
    const store = production({ rows: rows(3) })
    store.apply([{ op: 'replace', path: '/rows/0/value', value: 1 }]) // /rows is now the store's own copy
    const list = store.get('/rows')
    store.apply([{ op: 'replace', path: '/rows/2/value', value: 5 }])
    expect(list).toEqual([
      { id: 0, value: 1 },
      { id: 1, value: 0 },
      { id: 2, value: 0 },
    ])
    expect(store.get('/rows/2/value')).toBe(5)
    expect(store.get('/rows')).not.toBe(list)
  })

  it('a write inside a node and a replace of the node that ends where it began is no change (rule 3)', () => {
    const store = production({ a: { b: 1, c: [1] } })
    store.apply([{ op: 'replace', path: '/a/b', value: 2 }]) // /a is now transient
    let calls = 0
    store.watch('/a', () => calls++)
    const revision = store.revision
    const result = store.apply([
      { op: 'replace', path: '/a/b', value: 3 },
      { op: 'replace', path: '/a', value: { b: 2, c: [1] } },
    ])
    expect(result).toBeNull()
    expect(store.revision).toBe(revision)
    expect(calls).toBe(0)
    expect(store.get()).toEqual({ a: { b: 2, c: [1] } })
  })

  it('a write inside a node and a replace of the whole document that ends where it began is no change', () => {
    const store = production({ a: { b: 1 }, k: [1, 2] })
    store.apply([{ op: 'replace', path: '/a/b', value: 2 }])
    const result = store.apply([
      { op: 'replace', path: '/a/b', value: 3 },
      { op: 'replace', path: '', value: { a: { b: 2 }, k: [1, 2] } },
    ])
    expect(result).toBeNull()
    expect(store.get()).toEqual({ a: { b: 2 }, k: [1, 2] })
  })

  it('the inverse of replacing a node written in place in the same patch restores the value between the two', () => {
    const store = production({ a: { b: 1 } })
    store.apply([{ op: 'replace', path: '/a/b', value: 2 }])
    store.apply([
      { op: 'replace', path: '/a/b', value: 3 },
      { op: 'replace', path: '/a', value: { z: true } },
    ])
    expect(store.get()).toEqual({ a: { z: true } })
    expect(store.log().at(-1)!.inverse).toEqual([
      { op: 'replace', path: '/a', value: { b: 3 } },
      { op: 'replace', path: '/a/b', value: 2 },
    ])
    expect(store.valueAt(1)).toEqual({ a: { b: 2 } })
    expect(store.valueAt(0)).toEqual({ a: { b: 1 } })
  })

  it('a write into an array in place, then an insert into it in the same patch, keeps every revision retrievable', () => {
    const store = production({ list: rows(3) })
    store.apply([{ op: 'replace', path: '/list/0/value', value: 1 }])
    store.apply([
      { op: 'replace', path: '/list/1/value', value: 7 },
      { op: 'add', path: '/list/0', value: { id: 9, value: 9 } },
      { op: 'remove', path: '/list/3' },
      { op: 'move', from: '/list/1', path: '/list/-' },
    ])
    expect(store.get('/list')).toEqual([
      { id: 9, value: 9 },
      { id: 1, value: 7 },
      { id: 0, value: 1 },
    ])
    expect(store.valueAt(1)).toEqual({ list: [{ id: 0, value: 1 }, { id: 1, value: 0 }, { id: 2, value: 0 }] })
  })

  it('a patch that fails after writing in place leaves the store as it was, to the identity of every node', () => {
    const store = production({ rows: rows(3), other: { x: 1 } })
    store.apply([{ op: 'replace', path: '/rows/0/value', value: 1 }])
    const attempt = () =>
      store.apply([
        { op: 'replace', path: '/rows/1/value', value: 2 },
        { op: 'replace', path: '/other/x', value: 2 },
        { op: 'test', path: '/rows/0/value', value: 99 },
      ])
    expect(attempt).toThrow(PatchError)
    const row1 = store.get('/rows/1')
    expect(row1).toEqual({ id: 1, value: 0 })
    expect(store.get('/other')).toEqual({ x: 1 })
    expect(store.revision).toBe(1)
    // And the next write starts from there.
    store.apply([{ op: 'replace', path: '/rows/1/value', value: 3 }])
    expect(row1).toEqual({ id: 1, value: 0 })
    expect(store.valueAt(1)).toEqual({ rows: [{ id: 0, value: 1 }, { id: 1, value: 0 }, { id: 2, value: 0 }], other: { x: 1 } })
  })

  it('a set whose value cannot be read leaves the nodes written in place as they were', () => {
    const store = production({ a: { b: { c: 1 } } })
    store.apply([{ op: 'replace', path: '/a/b/c', value: 2 }])
    const hostile = {
      get c() {
        throw new Error('no')
      },
    }
    expect(() => store.set('/a/b', hostile as never)).toThrow(PatchError)
    expect(store.get()).toEqual({ a: { b: { c: 2 } } })
  })

  it('watchers of one revision see that revision, also when an earlier watcher writes to the same nodes', () => {
    const store = production({ rows: rows(3) })
    store.apply([{ op: 'replace', path: '/rows/2/value', value: 1 }])
    const seen: [number, unknown][] = []
    store.watch('/rows/0', (row, r) => {
      seen.push([r.id, row])
      if (r.id === 2) store.apply([{ op: 'replace', path: '/rows/1/value', value: 'nested' }])
    })
    store.watch('/rows/1', (row, r) => seen.push([r.id, row]))
    store.apply([
      { op: 'replace', path: '/rows/0/value', value: 'first' },
      { op: 'replace', path: '/rows/1/value', value: 'first' },
    ])
    expect(seen).toEqual([
      [2, { id: 0, value: 'first' }],
      [2, { id: 1, value: 'first' }],
      [3, { id: 1, value: 'nested' }],
    ])
  })

  it('a copy of a transient makes both places read-only: a write through one does not show through the other', () => {
    const store = production({ a: { b: { c: 1 } } })
    store.apply([{ op: 'replace', path: '/a/b/c', value: 2 }])
    store.apply([{ op: 'copy', from: '/a/b', path: '/d' }])
    store.apply([{ op: 'replace', path: '/a/b/c', value: 3 }])
    expect(store.get('/d')).toEqual({ c: 2 })
    expect(store.get('/a/b')).toEqual({ c: 3 })
  })

  it('scoped patches are computed against what the watcher saw, not the node written in place', () => {
    const store = production({ rows: rows(2) })
    store.apply([{ op: 'replace', path: '/rows/0/value', value: 1 }])
    const patches: unknown[] = []
    store.watch('/rows/1', (_, r) => patches.push(r.patch))
    store.apply([{ op: 'replace', path: '/rows/1/value', value: 2 }])
    store.apply([{ op: 'remove', path: '/rows/0' }])
    expect(patches).toEqual([[{ op: 'replace', path: '/value', value: 2 }], [{ op: 'remove', path: '' }]])
  })

  it('a store that freezes, or whose beforeCommit is handed each document, never writes in place', () => {
    for (const options of [{ freeze: true }, { freeze: false, beforeCommit: () => {} }]) {
      const kept: unknown[] = []
      const store = createStore<JsonValue>({ value: { rows: rows(2) } }, { ...options, beforeCommit: options.beforeCommit && ((_, value) => void kept.push(value)) })
      store.apply([{ op: 'replace', path: '/rows/0/value', value: 1 }])
      store.apply([{ op: 'replace', path: '/rows/1/value', value: 2 }])
      if (kept.length) expect(kept[0]).toEqual({ rows: [{ id: 0, value: 1 }, { id: 1, value: 0 }] })
      expect(store.valueAt(1)).toEqual({ rows: [{ id: 0, value: 1 }, { id: 1, value: 0 }] })
    }
  })
})
