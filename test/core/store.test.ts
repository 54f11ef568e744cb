import { from } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { createStore, diff, getPath, PatchError, type JsonValue } from 'patchdb'

describe('createStore', () => {
  it('starts from { value }, from a dump, or from nothing', () => {
    expect(createStore().get()).toEqual({})
    expect(createStore().revision).toBe(0)
    const fromDump = createStore({ id: 42, value: { a: 1 } })
    expect(fromDump.revision).toBe(42)
    expect(fromDump.dump()).toEqual({ id: 42, value: { a: 1 } })
    expect(() => createStore({ id: -1, value: {} })).toThrow(RangeError)
  })

  it('get: missing is undefined, a stored null is a value, tuples work', () => {
    const store = createStore({ value: { a: null, b: [{ 'x/y': 1 }] } as JsonValue })
    expect(store.get('/a')).toBeNull()
    expect(store.get('/zz')).toBeUndefined()
    expect(store.get('/a/deeper')).toBeUndefined()
    expect(store.get(['b', 0, 'x/y'])).toBe(1)
    expect(store.get('/b/0/x~1y')).toBe(1)
    expect(store.get('/b/1')).toBeUndefined()
    expect(store.get('/b/-')).toBeUndefined()
    // the same reads without a store, on the same (shared) values
    expect(getPath(store.get(), ['b', 0])).toBe(store.get('/b/0'))
    expect(getPath(store.get(), '/a')).toBeNull()
    expect(getPath({}, '/constructor')).toBeUndefined()
  })
})

describe('set', () => {
  it('writes the minimal patch', () => {
    const store = createStore({ value: { s: { theme: 'light', size: 1, keep: { deep: [1, 2, 3] } } as JsonValue } })
    const r = store.set('/s', { theme: 'dark', size: 1, keep: { deep: [1, 2, 3] }, added: true })
    expect(r?.patch).toEqual([
      { op: 'replace', path: '/s/theme', value: 'dark' },
      { op: 'add', path: '/s/added', value: true },
    ])
  })

  it('creates a missing key, and needs its parent', () => {
    const store = createStore({ value: {} as Record<string, unknown> })
    expect(store.set('/a', { b: 1 })?.patch).toEqual([{ op: 'add', path: '/a', value: { b: 1 } }])
    expect(() => store.set('/x/y', 1)).toThrow(expect.objectContaining({ code: 'PATH_NOT_FOUND' }))
  })

  it('diffs arrays by common head and tail: one insert is one add', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ id: i }))
    expect(diff(rows, [{ id: -1 }, ...rows], '/rows', [])).toEqual([{ op: 'add', path: '/rows/0', value: { id: -1 } }])
    expect(diff(rows, rows.slice(1), '', [])).toEqual([{ op: 'remove', path: '/0' }])
    expect(diff([1, 2, 3], [1, 9, 3], '', [])).toEqual([{ op: 'replace', path: '/1', value: 9 }])
    expect(diff({ a: 1 }, [1], '', [])).toEqual([{ op: 'replace', path: '', value: [1] }])
  })

  it('emptying or filling an array is one replace, not an operation per item', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i }))
    expect(diff(rows, [], '/rows', [])).toEqual([{ op: 'replace', path: '/rows', value: [] }])
    expect(diff([], rows, '/rows', [])).toEqual([{ op: 'replace', path: '/rows', value: rows }])
    expect(diff([1], [], '/a', [])).toEqual([{ op: 'remove', path: '/a/0' }])
    expect(diff([], [1], '/a', [])).toEqual([{ op: 'add', path: '/a/0', value: 1 }])
    const store = createStore({ value: { rows } })
    expect(store.set('/rows', [])?.patch).toEqual([{ op: 'replace', path: '/rows', value: [] }])
    expect(store.get('/rows')).toEqual([])
  })

  it('diff results turn any document into any other (round trip)', async () => {
    const fc = (await import('fast-check')).default
    const json = fc.jsonValue().filter((v) => !JSON.stringify(v).includes('"__proto__"'))
    fc.assert(
      fc.property(json, json, (a, b) => {
        const store = createStore({ value: { v: a as JsonValue } })
        store.set('/v', b as JsonValue)
        expect(store.get('/v')).toEqual(JSON.parse(JSON.stringify(b)))
      }),
      { numRuns: 300 },
    )
  })
})

describe('transact', () => {
  it('reads its own writes and makes one revision', () => {
    const store = createStore({ value: { todos: [] as { t: string; done: boolean }[] } })
    const seen: number[] = []
    store.subscribe((r) => seen.push(r.id))
    const r = store.transact((tx) => {
      tx.apply([{ op: 'add', path: '/todos/-', value: { t: 'a', done: false } }])
      expect(tx.get('/todos/0/t')).toBe('a')
      tx.set('/todos/0/done', true)
      expect(tx.get()).toEqual({ todos: [{ t: 'a', done: true }] })
      expect(store.get('/todos')).toEqual([]) // others see nothing until it commits
    })
    expect(r?.id).toBe(1)
    expect(r?.patch).toHaveLength(2)
    expect(seen).toEqual([1])
    expect(store.log()[0]!.inverse).toHaveLength(2)
    expect(store.valueAt(0)).toEqual({ todos: [] })
  })

  it('applies nothing when the function throws, and rethrows its error', () => {
    const store = createStore({ value: { n: 0 } })
    const boom = new Error('boom')
    expect(() =>
      store.transact((tx) => {
        tx.set('/n', 1)
        throw boom
      }),
    ).toThrow(boom)
    expect(store.get('/n')).toBe(0)
    expect(store.revision).toBe(0)
  })

  it('refuses writes to the store while open, and a transaction used after it ended', () => {
    const store = createStore({ value: { n: 0 } })
    let leaked: Parameters<Parameters<typeof store.transact>[0]>[0] | undefined
    expect(() => store.transact(() => store.set('/n', 1))).toThrow(expect.objectContaining({ code: 'TRANSACTION_OPEN' }))
    expect(() => store.transact(() => store.update({ id: 1, patch: [] }))).toThrow(expect.objectContaining({ code: 'TRANSACTION_OPEN' }))
    store.transact((tx) => {
      leaked = tx
    })
    expect(() => leaked!.set('/n', 2)).toThrow(expect.objectContaining({ code: 'TRANSACTION_CLOSED' }))
    expect(store.get('/n')).toBe(0)
    store.set('/n', 3) // the store works again
    expect(store.get('/n')).toBe(3)
  })

  it('a failed patch caught inside keeps the earlier writes', () => {
    const store = createStore({ value: { a: 0, b: [1] } })
    store.transact((tx) => {
      tx.set('/a', 1)
      expect(() =>
        tx.apply([
          { op: 'move', from: '/b/0', path: '/a' },
          { op: 'remove', path: '/zz' },
        ]),
      ).toThrow(PatchError)
      expect(tx.get()).toEqual({ a: 1, b: [1] })
    })
    expect(store.get()).toEqual({ a: 1, b: [1] })
  })
})

describe('observe', () => {
  it('emits the current value, then each change, until unsubscribed', () => {
    const store = createStore({ value: { a: { n: 0 }, b: 0 } })
    const seen: unknown[] = []
    const sub = store.observe('/a/n').subscribe((v) => seen.push(v))
    store.set('/b', 1)
    store.set('/a/n', 1)
    sub.unsubscribe()
    expect(sub.closed).toBe(true)
    store.set('/a/n', 2)
    expect(seen).toEqual([0, 1])
    expect(store.stats().watchers).toBe(0)
  })

  it('is accepted by rxjs.from through Symbol.observable interop', () => {
    const store = createStore({ value: { theme: 'light' } })
    const seen: unknown[] = []
    const sub = from(store.observe('/theme')).subscribe((v) => seen.push(v))
    store.set('/theme', 'dark')
    sub.unsubscribe()
    store.set('/theme', 'light')
    expect(seen).toEqual(['light', 'dark'])
    expect(store.stats().watchers).toBe(0)
  })

  it('takes observer objects', () => {
    const store = createStore({ value: { n: 1 } })
    const seen: unknown[] = []
    store.observe(['n']).subscribe({ next: (v) => seen.push(v) })
    store.set('/n', 2)
    expect(seen).toEqual([1, 2])
  })
})
