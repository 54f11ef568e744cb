import { describe, expect, it, vi } from 'vitest'
import { createIndex, createStore, deepEqual, PatchError, type JsonValue } from 'patchdb'
import { errorCode } from '../support/error-code'

// A type alias, not an interface: patch operations take JsonValue, which needs an index signature.
type Todo = {
  id: number
  title: string
}
const todos = (n: number): Todo[] => Array.from({ length: n }, (_, i) => ({ id: i, title: `t${i}` }))

/** A store of `n` todos and an index over them whose key function counts its calls. */
function setup(n = 1000) {
  const store = createStore<{ todos: Todo[]; other: number }>({ value: { todos: todos(n), other: 0 } })
  const keyOf = vi.fn((t: Todo) => t.id)
  const errors: unknown[] = []
  const index = createIndex(store, '/todos', keyOf, { onError: (e) => errors.push(e) })
  keyOf.mockClear()
  return { store, index, keyOf, errors }
}

describe('createIndex: keys, items and pointers', () => {
  it('gives the keys in order, each item by key and its pointer', () => {
    const { store, index } = setup(5)
    expect(index.keys()).toEqual([0, 1, 2, 3, 4])
    expect(index.get(3)).toBe(store.get('/todos/3'))
    expect(index.pointer(3)).toBe('/todos/3')
    expect(index.get(99)).toBeUndefined()
    expect(index.pointer(99)).toBeUndefined()
  })

  it('keys() is the same array after an edit inside an item, a new one after a reorder', () => {
    const { store, index } = setup(5)
    const keys = index.keys()
    store.apply([{ op: 'replace', path: '/todos/2/title', value: 'x' }])
    store.apply([{ op: 'replace', path: '/other', value: 1 }])
    expect(index.keys()).toBe(keys)
    store.apply([{ op: 'move', from: '/todos/0', path: '/todos/4' }])
    expect(index.keys()).not.toBe(keys)
    expect(index.keys()).toEqual([1, 2, 3, 4, 0])
    expect(index.pointer(0)).toBe('/todos/4')
    expect(index.pointer(1)).toBe('/todos/0')
  })

  it('get(key) keeps its identity while the item moves, and changes when the item does', () => {
    const { store, index } = setup(5)
    const item = index.get(2)
    store.apply([{ op: 'remove', path: '/todos/0' }])
    store.apply([{ op: 'add', path: '/todos/0', value: { id: 9, title: 'new' } }])
    expect(index.get(2)).toBe(item)
    store.apply([{ op: 'replace', path: '/todos/2/title', value: 'edited' }])
    expect(index.get(2)).not.toBe(item)
    expect(index.get(2)).toEqual({ id: 2, title: 'edited' })
  })

  it('a list that is not there yet is empty, and fills when it is added', () => {
    const store = createStore<{ todos?: Todo[] }>({ value: {} })
    const index = createIndex(store, '/todos', (t) => t.id)
    expect(index.keys()).toEqual([])
    store.apply([{ op: 'add', path: '/todos', value: todos(2) }])
    expect(index.keys()).toEqual([0, 1])
    store.apply([{ op: 'remove', path: '/todos' }])
    expect(index.keys()).toEqual([])
    expect(index.get(0)).toBeUndefined()
  })

  it('keys are as frozen as the store values: a frozen store hands out frozen keys', () => {
    const { store, index } = setup(3)
    expect(Object.isFrozen(store.get('/todos'))).toBe(true)
    expect(Object.isFrozen(index.keys())).toBe(true)
    store.apply([{ op: 'remove', path: '/todos/0' }])
    expect(Object.isFrozen(index.keys())).toBe(true)
  })

  it('a key named __proto__ or constructor is an ordinary key, and 1 and "1" are two keys', () => {
    const store = createStore({ value: { list: [{ k: '__proto__' }, { k: 'constructor' }, { k: 1 }, { k: '1' }] as JsonValue[] } })
    const index = createIndex(store, '/list', (item) => (item as { k: string | number }).k)
    expect(index.keys()).toEqual(['__proto__', 'constructor', 1, '1'])
    expect(index.pointer('__proto__')).toBe('/list/0')
    expect(index.get('constructor')).toEqual({ k: 'constructor' })
    expect(index.pointer('1')).toBe('/list/3')
    expect(index.get('toString')).toBeUndefined()
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('createIndex is maintained from the patch, not by rescanning', () => {
  it('a remove, an insert and a move call the key function only for the item they add', () => {
    const { store, index, keyOf } = setup(1000)
    store.apply([{ op: 'remove', path: '/todos/2' }])
    expect(keyOf).toHaveBeenCalledTimes(0)
    store.apply([{ op: 'move', from: '/todos/0', path: '/todos/900' }])
    expect(keyOf).toHaveBeenCalledTimes(0)
    store.apply([{ op: 'add', path: '/todos/1', value: { id: 5000, title: 'x' } }])
    expect(keyOf).toHaveBeenCalledTimes(1)
    expect(index.keys().slice(0, 4)).toEqual([1, 5000, 3, 4])
    expect(index.pointer(0)).toBe('/todos/901') // moved to 900, then shifted by the insert
  })

  it('a write inside one item reads that item key only; a write elsewhere reads none', () => {
    const { store, keyOf } = setup(1000)
    store.apply([{ op: 'replace', path: '/todos/500/title', value: 'x' }])
    expect(keyOf).toHaveBeenCalledTimes(1)
    store.apply([{ op: 'replace', path: '/other', value: 1 }])
    expect(keyOf).toHaveBeenCalledTimes(1)
  })

  it('a swap written as two replaces reads the two keys, and reorders keeping both items (no watcher called)', () => {
    const { store, index, keyOf } = setup(1000)
    const [a, b] = [index.get(1), index.get(998)]
    let called = 0
    index.watch(1, () => called++)
    index.watch(998, () => called++)
    const rows = store.get('/todos')
    store.apply([
      { op: 'replace', path: '/todos/1', value: rows[998]! },
      { op: 'replace', path: '/todos/998', value: rows[1]! },
    ])
    expect(keyOf).toHaveBeenCalledTimes(2)
    // The store copies what a patch writes: equal values, new objects. The index keeps its own.
    expect(store.get('/todos/998')).not.toBe(a)
    expect(index.get(1)).toBe(a)
    expect(index.get(998)).toBe(b)
    expect(called).toBe(0)
    expect([index.pointer(1), index.pointer(998)]).toEqual(['/todos/998', '/todos/1'])
  })

  it('a sorted copy set whole reorders the keys and changes no item', () => {
    const { store, index } = setup(100)
    const before = index.keys().map((k) => index.get(k))
    let called = 0
    for (const k of index.keys()) index.watch(k, () => called++)
    store.set('/todos', [...store.get('/todos')].sort((x, y) => y.id - x.id))
    expect(index.keys()[0]).toBe(99)
    expect(called).toBe(0)
    expect(before.every((item, k) => index.get(k) === item)).toBe(true)
  })

  it('moves and copies across the array boundary, and index shifts on the way to it, are followed from the unscoped patch', () => {
    type Lists = { lists: { items: Todo[] }[]; parked: Todo[] }
    const store = createStore<Lists>({ value: { lists: [{ items: todos(3) }, { items: todos(5).slice(3) }], parked: [{ id: 9, title: 't9' }] } })
    const index = createIndex(store, '/lists/1/items', (t: Todo) => t.id)
    const fresh = () => createIndex(store, '/lists/1/items', (t: Todo) => t.id)
    const steps: Parameters<typeof store.apply>[0][] = [
      [{ op: 'move', from: '/parked/0', path: '/lists/1/items/1' }], // in from outside
      [{ op: 'move', from: '/lists/1/items/0', path: '/parked/0' }], // out to elsewhere
      [{ op: 'copy', from: '/parked/0', path: '/lists/1/items/-' }], // copied in
      [{ op: 'copy', from: '/lists/1/items/0', path: '/parked/-' }], // copied out: the array is unchanged
      [{ op: 'move', from: '/lists/1/items/0/title', path: '/parked/0/title' }], // a part moved out of an item
      [{ op: 'add', path: '/lists/0', value: { items: [{ id: 7, title: 't7' }] } }], // shifts the array's own path
      [{ op: 'remove', path: '/lists/0' }], // and back
      [{ op: 'replace', path: '/lists/1', value: { items: [{ id: 8, title: 't8' }] } }], // an ancestor replaced
    ]
    for (const patch of steps) {
      store.apply(patch)
      const expected = fresh()
      expect(index.keys()).toEqual(expected.keys())
      for (const k of expected.keys()) expect(index.get(k)).toEqual(expected.get(k))
      expected.dispose()
    }
    expect(index.keys()).toEqual([8])
  })

  it('a root replace of the array rescans it', () => {
    const { store, index, keyOf } = setup(10)
    store.set('/todos', todos(10).reverse())
    expect(keyOf).toHaveBeenCalledTimes(10)
    expect(index.keys()).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
  })
})

describe('createIndex watch and subscribe', () => {
  it('watch(key) is called when that item changes, wherever it moved, and not when it only moves', () => {
    const { store, index } = setup(10)
    const seen: unknown[] = []
    index.watch(3, (item) => seen.push(item))
    store.apply([{ op: 'move', from: '/todos/3', path: '/todos/8' }])
    store.apply([{ op: 'remove', path: '/todos/0' }])
    expect(seen).toEqual([])
    store.apply([{ op: 'replace', path: '/todos/7/title', value: 'moved and edited' }])
    expect(seen).toEqual([{ id: 3, title: 'moved and edited' }])
    store.apply([{ op: 'remove', path: '/todos/7' }])
    expect(seen).toEqual([{ id: 3, title: 'moved and edited' }, undefined])
    store.apply([{ op: 'add', path: '/todos/-', value: { id: 3, title: 'back' } }])
    expect(seen.at(-1)).toEqual({ id: 3, title: 'back' })
  })

  it('subscribe is called once per revision that changes the key order, never for edits inside items', () => {
    const { store, index } = setup(10)
    let calls = 0
    index.subscribe(() => calls++)
    store.apply([{ op: 'replace', path: '/todos/1/title', value: 'x' }])
    expect(calls).toBe(0)
    store.apply([
      { op: 'remove', path: '/todos/1' },
      { op: 'add', path: '/todos/0', value: { id: 99, title: 'y' } },
    ])
    expect(calls).toBe(1)
  })

  it('a listener that throws goes to onError and does not starve the others', () => {
    const { store, index, errors } = setup(3)
    const boom = new Error('boom')
    let later = 0
    index.watch(1, () => {
      throw boom
    })
    index.watch(1, () => later++)
    index.subscribe(() => {
      throw boom
    })
    index.subscribe(() => later++)
    store.apply([{ op: 'replace', path: '/todos/1/title', value: 'x' }])
    store.apply([{ op: 'remove', path: '/todos/0' }])
    expect(later).toBe(2)
    expect(errors).toEqual([boom, boom])
    expect(index.error).toBeNull()
  })

  it('after unsubscribe a watcher is never called; a watcher added by a watcher hears the next revision', () => {
    const { store, index } = setup(3)
    const calls: string[] = []
    const off = index.watch(1, () => calls.push('off'))
    index.watch(1, () => {
      calls.push('outer')
      if (calls.length === 1) index.watch(1, () => calls.push('inner'))
    })
    off()
    store.apply([{ op: 'replace', path: '/todos/1/title', value: 'x' }])
    expect(calls).toEqual(['outer'])
    store.apply([{ op: 'replace', path: '/todos/1/title', value: 'y' }])
    expect(calls).toEqual(['outer', 'outer', 'inner'])
  })

  it('dispose stops following the store and drops its listeners', () => {
    const { store, index } = setup(3)
    const before = store.stats().watchers
    let calls = 0
    index.watch(1, () => calls++)
    index.subscribe(() => calls++)
    index.dispose()
    expect(store.stats().watchers).toBe(before - 1)
    store.apply([{ op: 'remove', path: '/todos/1' }])
    expect(calls).toBe(0)
    expect(index.keys()).toEqual([0, 1, 2]) // the last state
    index.watch(2, () => calls++)()
    index.dispose() // twice is harmless
  })
})

describe('createIndex: duplicate and missing keys are clear errors', () => {
  it('refuses, when created, an array with a duplicate key, a key that is not a string or finite number, or no array', () => {
    const make = (value: JsonValue, key: (x: never) => unknown = (x: { id: unknown }) => x.id) => () =>
      createIndex(createStore({ value: { list: value } }), '/list', key as (x: JsonValue) => string)
    expect(errorCode(make([{ id: 1 }, { id: 2 }, { id: 1 }]))).toBe('KEY_DUPLICATE')
    expect(() => make([{ id: 1 }, { id: 2 }, { id: 1 }])()).toThrow('items 0 and 2 have the same key 1')
    expect(errorCode(make([{ id: 1 }, { name: 'no id' }]))).toBe('KEY_INVALID')
    expect(() => make([{ id: 1 }, { name: 'no id' }])()).toThrow('the key of item 1 is undefined')
    expect(errorCode(make([{ id: { nested: 1 } }]))).toBe('KEY_INVALID')
    expect(errorCode(make([{ id: null }]))).toBe('KEY_INVALID')
    expect(errorCode(make([{ id: 1 }], () => Number.NaN))).toBe('KEY_INVALID')
    expect(errorCode(make([{ id: 1 }], () => Infinity))).toBe('KEY_INVALID')
    expect(errorCode(make({ id: 1 }))).toBe('NOT_AN_ARRAY')
    expect(errorCode(make('text'))).toBe('NOT_AN_ARRAY')
    const cause = new Error('bad item')
    let thrown: unknown
    try {
      make([1], () => {
        throw cause
      })()
    } catch (e) {
      thrown = e
    }
    expect(thrown).toMatchObject({ code: 'KEY_INVALID', path: '/list/0', cause })
    expect(errorCode(() => createIndex(createStore(), '', 'id' as never))).toBe('ARGUMENT_INVALID')
  })

  it('a write that makes a duplicate is kept by the store; the index fails clearly until a write repairs it', () => {
    const { store, index, errors } = setup(5)
    let told = 0
    index.subscribe(() => told++)
    const seen: unknown[] = []
    index.watch(4, (item) => seen.push(item))
    const revision = store.apply([{ op: 'replace', path: '/todos/4/id', value: 1 }])
    expect(revision).not.toBeNull() // an index never refuses the store a write
    expect(index.error).toMatchObject({ code: 'KEY_DUPLICATE', path: '/todos/4' })
    expect(errors).toEqual([index.error])
    expect(told).toBe(1)
    expect(() => index.keys()).toThrow(/items 1 and 4 have the same key 1/)
    expect(() => index.get(1)).toThrow(PatchError)
    expect(() => index.pointer(1)).toThrow(PatchError)
    store.apply([{ op: 'replace', path: '/todos/0/title', value: 'still broken' }])
    expect(told).toBe(1) // told once when it starts failing
    expect(errors).toHaveLength(2) // each failing revision is reported
    store.apply([{ op: 'replace', path: '/todos/4/id', value: 40 }])
    expect(index.error).toBeNull()
    expect(told).toBe(2)
    expect(index.keys()).toEqual([0, 1, 2, 3, 40])
    expect(index.pointer(40)).toBe('/todos/4')
    expect(seen).toEqual([undefined]) // key 4 is gone; 40 is a new key
    expect(index.get(0)).toEqual({ id: 0, title: 'still broken' })
  })

  it('a write that makes a key invalid or the list not an array fails the index the same way', () => {
    const { store, index } = setup(3)
    store.apply([{ op: 'remove', path: '/todos/1/id' }])
    expect(index.error).toMatchObject({ code: 'KEY_INVALID', path: '/todos/1' })
    store.apply([{ op: 'replace', path: '/todos', value: { not: 'a list' } as never }])
    expect(index.error!.code).toBe('NOT_AN_ARRAY')
    store.set('/todos', todos(2))
    expect(index.error).toBeNull()
    expect(index.keys()).toEqual([0, 1])
  })

  it('a copy then a re-key in one patch is no duplicate: only the end state counts', () => {
    const { store, index } = setup(3)
    store.apply([
      { op: 'copy', from: '/todos/0', path: '/todos/1' },
      { op: 'replace', path: '/todos/1/id', value: 7 },
    ])
    expect(index.error).toBeNull()
    expect(index.keys()).toEqual([0, 7, 1, 2])
  })
})

describe('createIndex under hostile patches', () => {
  it('a patch of thousands of inserts at the front falls back to one rescan instead of a splice per insert, and ends right', () => {
    const { store, index, keyOf } = setup(2000)
    store.apply(Array.from({ length: 5000 }, (_, i) => ({ op: 'add' as const, path: '/todos/0', value: { id: 10_000 + i, title: '' } })))
    expect(keyOf).toHaveBeenCalledTimes(7000) // one rescan: each item read once
    expect(index.keys()).toEqual(store.get('/todos').map((t) => t.id))
    expect(index.pointer(0)).toBe('/todos/5000')
  })

  it('appending thousands of items in one patch reads only the new items (followed, no rescan)', () => {
    const { store, index, keyOf } = setup(1000)
    const seen = vi.fn()
    index.watch(999, seen)
    store.apply(Array.from({ length: 5000 }, (_, i) => ({ op: 'add' as const, path: '/todos/-', value: { id: 1000 + i, title: '' } })))
    expect(keyOf).toHaveBeenCalledTimes(5000)
    expect(index.keys()).toEqual(store.get('/todos').map((t) => t.id))
    expect(index.get(5999)).toBe(store.get('/todos/5999'))
    expect(index.pointer(1000)).toBe('/todos/1000')
    expect(seen).not.toHaveBeenCalled()
  })

  it('a watcher of the index that writes to the store sees the index follow its write', () => {
    const { store, index } = setup(5)
    const seen: (readonly number[])[] = []
    index.watch(2, (todo) => {
      if (todo) store.apply([{ op: 'remove', path: index.pointer(2)! }])
    })
    index.subscribe(() => seen.push(index.keys()))
    store.apply([{ op: 'replace', path: '/todos/2/title', value: 'remove me' }])
    expect(index.keys()).toEqual([0, 1, 3, 4])
    expect(seen).toEqual([[0, 1, 3, 4]])
    expect(index.get(2)).toBeUndefined()
  })

  it('an index of a deep array in a 100,000-item list keeps one position per key', () => {
    const store = createStore({ value: { a: { b: [Array.from({ length: 100_000 }, (_, i) => `k${i}`)] } } })
    const index = createIndex(store, '/a/b/0', (k) => k as string)
    store.apply([{ op: 'move', from: '/a/b/0/99999', path: '/a/b/0/0' }])
    expect(index.pointer('k99999')).toBe('/a/b/0/0')
    expect(index.pointer('k0')).toBe('/a/b/0/1')
    expect(index.keys()).toHaveLength(100_000)
  })
})

describe('createIndex over the store identities', () => {
  it('rows sharing equal parts with their neighbours keep their references through a removal (no watcher called)', () => {
    // The store gives a shifted row a new object when its neighbour had an equal part
    // (its position-wise reconcile); the index sees the value is the same and keeps its own.
    const store = createStore({ value: { rows: Array.from({ length: 50 }, (_, id) => ({ id, tags: ['x'] })) } })
    const index = createIndex(store, '/rows', (row) => row.id)
    const before = index.keys().map((k) => index.get(k))
    let called = 0
    for (const k of index.keys()) index.watch(k, () => called++)
    store.apply([{ op: 'remove', path: '/rows/0' }])
    expect(called).toBe(1) // row 0, removed
    expect(index.keys().every((k) => index.get(k) === before[k])).toBe(true)
    expect(index.keys().every((k, i) => deepEqual(index.get(k), store.get(`/rows/${i}`)))).toBe(true)
  })
})
