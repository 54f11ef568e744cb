import { createStore, deepEqual, diff, PatchError } from 'patchdb'
import { describe, expect, it } from 'vitest'

// Red-team findings against the core's public entry (issue 8). Each test names what it protects.

describe('rule 10, bounded input: what the red team found', () => {
  it('watching a pointer of many segments costs memory linear in its length, not quadratic', () => {
    const store = createStore({ value: {} })
    const before = process.memoryUsage().heapUsed
    // 12,000 segments: one copy of the pointer's prefix per trie node would be 72M references (~576 MB).
    const stop = store.watch('/a'.repeat(12_000), () => {})
    const grown = process.memoryUsage().heapUsed - before
    stop()
    expect(grown).toBeLessThan(64 << 20)
  })

  it('revision ids never repeat: a write past Number.MAX_SAFE_INTEGER is refused', () => {
    const store = createStore({ id: Number.MAX_SAFE_INTEGER - 1, value: {} })
    store.apply([{ op: 'add', path: '/a', value: 1 }])
    expect(store.revision).toBe(Number.MAX_SAFE_INTEGER)
    expect(() => store.apply([{ op: 'add', path: '/b', value: 1 }])).toThrow(expect.objectContaining({ code: 'REVISION_LIMIT' }))
    expect(store.get()).toEqual({ a: 1 })
    expect(store.revision).toBe(Number.MAX_SAFE_INTEGER)
  })

  it('a history option too large to hold says it is the history option', () => {
    expect(() => createStore({ value: {} }, { history: 1e17 })).toThrow(/history/)
    // A large but possible history costs nothing up front.
    const store = createStore({ value: { a: 0 } }, { history: 1e12 })
    store.set('/a', 1)
    expect(store.log().map((e) => e.id)).toEqual([1])
  })

  it('an onError option that is not a function is refused at createStore', () => {
    expect(() => createStore({ value: {} }, { onError: 5 as never })).toThrow(PatchError)
  })

  it('log(since) with a non-number is refused, not read as "nothing since"', () => {
    const store = createStore({ value: { a: 0 } })
    store.set('/a', 1)
    expect(() => store.log('x' as never)).toThrow(PatchError)
  })

  it('diff never surfaces a RangeError, however deep its inputs', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as never
    const other = JSON.parse('['.repeat(100_000) + '1' + ']'.repeat(100_000)) as never
    let error: unknown
    try {
      diff(deep, other, '', [])
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(PatchError)
    expect((error as PatchError).code).toBe('TOO_DEEP')
    expect(diff([[1]], [[2]])).toEqual([{ op: 'replace', path: '/0/0', value: 2 }])
  })

  it('deepEqual never surfaces a RangeError, however deep its inputs', () => {
    const a = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown
    const b = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown
    expect(() => deepEqual(a, b)).toThrow(expect.objectContaining({ code: 'TOO_DEEP' }))
  })

  it('a watcher of a long pointer still gets its value and scoped patch', () => {
    const store = createStore<Record<string, unknown>>({ value: {} })
    const path = Array.from({ length: 50 }, (_, i) => `k${i}`)
    const seen: unknown[] = []
    store.watch(path, (v, r) => seen.push([v, r.patch]))
    store.set(path.slice(0, 1) as never, {} as never)
    let node: Record<string, unknown> = { v: 1 }
    for (let i = 49; i >= 1; i--) node = { [`k${i}`]: i === 49 ? 1 : node }
    store.set(path.slice(0, 1) as never, node as never)
    expect(seen).toEqual([[1, [{ op: 'add', path: '', value: 1 }]]])
  })
})
