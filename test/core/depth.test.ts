import { describe, expect, it } from 'vitest'
import { applyPatch, createStore, MAX_DEPTH, PatchError, type JsonValue, type Patch, type Store } from 'patchdb'
import { expectRefused } from './refused'

const refusedTooDeep = (store: Store<JsonValue>, write: () => unknown) => expectRefused(store, write, 'TOO_DEEP')

/** `n` nested arrays: nest(1) is `[]`, nest(2) is `[[]]`; its height is n. */
const nest = (n: number): JsonValue => JSON.parse('['.repeat(n) + ']'.repeat(n))
/** The pointer to the innermost array of nest(n) stored at `/key`: n segments. */
const innermost = (key: string, n: number) => `/${key}` + '/0'.repeat(n - 1)

/** How many containers nest in `v` (0 for a leaf), without recursion. */
function height(v: unknown): number {
  let max = 0
  const stack: [unknown, number][] = [[v, 0]]
  while (stack.length) {
    const [node, d] = stack.pop()!
    if (typeof node !== 'object' || node === null) continue
    max = Math.max(max, d + 1)
    for (const c of Object.values(node)) stack.push([c, d + 1])
  }
  return max
}


describe('rule 10, bounded input: document depth is limited for the whole document, whatever op builds it', () => {
  it('the limit is 1,000 nested containers, exported for the durable stores', () => {
    expect(MAX_DEPTH).toBe(1000)
    const store = createStore({ value: {} as JsonValue })
    // The root object is one level: a value of height 999 at /a makes exactly 1,000.
    store.apply([{ op: 'add', path: '/a', value: nest(999) }])
    expect(height(store.get())).toBe(1000)
    refusedTooDeep(store, () => store.apply([{ op: 'add', path: '/b', value: nest(1000) }]))
    refusedTooDeep(store, () => store.apply([{ op: 'add', path: innermost('a', 999) + '/-', value: [] }]))
    // a leaf at the bottom adds no level
    store.apply([{ op: 'add', path: innermost('a', 999) + '/-', value: 1 }])
    expect(height(store.get())).toBe(1000)
  })

  it('two valid adds of 900-deep values cannot make an 1,800-deep document', () => {
    const store = createStore({ value: {} as JsonValue })
    store.apply([{ op: 'add', path: '/a', value: nest(900) }])
    refusedTooDeep(store, () => store.apply([{ op: 'add', path: innermost('a', 900) + '/-', value: nest(900) }]))
    refusedTooDeep(store, () => store.apply([{ op: 'replace', path: innermost('a', 900), value: nest(900) }]))
    expect(height(store.get())).toBe(901)
  })

  it('move and copy of an existing subtree are measured where they land', () => {
    const store = createStore({ value: { a: nest(600), b: nest(400) } as JsonValue })
    const into = innermost('a', 600) + '/-' // 601 segments: 601 + 400 > 1,000
    refusedTooDeep(store, () => store.apply([{ op: 'move', from: '/b', path: into }]))
    refusedTooDeep(store, () => store.apply([{ op: 'copy', from: '/b', path: into }]))
    // a shallower subtree fits: 601 + 399 = 1,000
    store.apply([{ op: 'copy', from: '/b/0', path: into }])
    expect(height(store.get())).toBe(1000)
    // moving up never nests deeper
    store.apply([{ op: 'move', from: innermost('a', 600) + '/0', path: '/c' }])
    expect(height(store.get('/c'))).toBe(399)
  })

  it('a subtree grown after its height was measured is measured again (in a transaction and after a commit)', () => {
    const store = createStore({ value: { a: nest(600), b: nest(10) } as JsonValue })
    const into = innermost('a', 600) + '/-'
    store.apply([{ op: 'copy', from: '/b', path: '/c' }]) // measures /b: height 10
    // In one transaction: grow /b to 410, then move it to 601 segments: 1,011 levels.
    refusedTooDeep(store, () =>
      store.transact((tx) => {
        tx.apply([{ op: 'add', path: innermost('b', 10) + '/-', value: nest(400) }])
        tx.apply([{ op: 'move', from: '/b', path: into }])
      }),
    )
    // The same in two revisions.
    store.apply([{ op: 'add', path: innermost('c', 10) + '/-', value: nest(400) }])
    refusedTooDeep(store, () => store.apply([{ op: 'move', from: '/c', path: into }]))
    refusedTooDeep(store, () => store.apply([{ op: 'copy', from: '/c', path: into }]))
  })

  it('a move refused as too deep inside a transaction leaves the transaction as it was', () => {
    const store = createStore({ value: { a: nest(600), b: nest(400) } as JsonValue })
    store.transact((tx) => {
      expect(() => tx.apply([{ op: 'move', from: '/b', path: innermost('a', 600) + '/-' }])).toThrow(expect.objectContaining({ code: 'TOO_DEEP' }))
      tx.set('/c' as never, 1 as never)
    })
    expect(store.get()).toEqual({ a: nest(600), b: nest(400), c: 1 })
  })

  it('set, transact and update are held to the same limit', () => {
    const store = createStore({ value: { a: nest(900) } as JsonValue })
    refusedTooDeep(store, () => store.set(innermost('a', 900) + '/0' as never, nest(200) as never))
    refusedTooDeep(store, () => store.set('/b' as never, { x: nest(1000) } as never))
    refusedTooDeep(store, () => store.transact((tx) => tx.set(innermost('a', 900) + '/0' as never, nest(101) as never)))
    // Each write of a transaction fits; together they would not.
    refusedTooDeep(store, () =>
      store.transact((tx) => {
        for (let depth = 900; depth < 1001; depth += 50) tx.apply([{ op: 'add', path: innermost('a', depth) + '/-', value: nest(50) }])
      }),
    )
    refusedTooDeep(store, () => store.update({ id: 1, patch: [{ op: 'add', path: innermost('a', 900) + '/-', value: nest(100) }] }))
    refusedTooDeep(store, () => store.update({ id: 1, value: { x: nest(1000) } }))
    refusedTooDeep(store, () => store.update([{ id: 1, patch: [] }, { id: 2, value: nest(1001) }]))
    expect(() => createStore({ value: nest(1001) })).toThrow(expect.objectContaining({ code: 'TOO_DEEP' }))
  })

  it('createStore(store.dump()) round-trips a document at the limit', () => {
    const store = createStore({ value: { a: nest(999) } as JsonValue })
    store.set('/b' as never, nest(999) as never)
    const copy = createStore(store.dump())
    expect(copy.get()).toEqual(store.get())
    expect(copy.revision).toBe(1)
    expect(createStore(copy.dump()).dump()).toEqual(store.dump())
  })

  it.each([3_000, 100_000])('no entry point surfaces a RangeError at %i levels', (n) => {
    const deep = nest(n) // JSON.parse builds it without recursion
    const deepObject = JSON.parse('{"a":'.repeat(n) + '1' + '}'.repeat(n))
    const longPath = '/a'.repeat(n)
    const store = createStore({ value: { a: nest(5) } as JsonValue })
    const attempts: [string, () => unknown][] = [
      ['createStore', () => createStore({ value: deep })],
      ['createStore(dump)', () => createStore({ id: 3, value: deepObject })],
      ['add', () => store.apply([{ op: 'add', path: '/x', value: deep }])],
      ['replace', () => store.apply([{ op: 'replace', path: '/a', value: deepObject }])],
      ['test', () => store.apply([{ op: 'test', path: '/a', value: deep }])],
      ['add at a long path', () => store.apply([{ op: 'add', path: longPath, value: 1 }])],
      ['move to a long path', () => store.apply([{ op: 'move', from: '/a', path: longPath }])],
      ['set', () => store.set('/x' as never, deep as never)],
      ['set over a nested value', () => store.set('/a' as never, deep as never)],
      ['set root', () => store.set('' as never, { a: deep } as never)],
      ['transact', () => store.transact((tx) => tx.set('/a' as never, deepObject as never))],
      ['update revision', () => store.update({ id: 1, patch: [{ op: 'add', path: '/x', value: deep }] })],
      ['update dump', () => store.update({ id: 1, value: deep })],
      ['applyPatch', () => applyPatch({}, [{ op: 'add', path: '/x', value: deep }] as Patch)],
    ]
    for (const [name, attempt] of attempts) {
      let error: unknown
      try {
        attempt()
      } catch (e) {
        error = e
      }
      expect(error, name).toBeInstanceOf(PatchError)
    }
    // a same-id dump that differs is refused as stale without reading all of it
    expect(store.update({ id: 0, value: { a: deep } }).status).toBe('stale')
    expect(store.get(longPath as never)).toBeUndefined()
    expect(store.get()).toEqual({ a: nest(5) })
    expect(store.revision).toBe(0)
  })
})
