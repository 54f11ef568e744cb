import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { applyPatch, createStore, PatchError } from 'patchdb'

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort()
const arrayPrototypeNames = Object.getOwnPropertyNames(Array.prototype).sort()

/** Asserted after every test of this file: nothing reached a prototype. */
function assertPrototypesUntouched() {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames)
  expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(arrayPrototypeNames)
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.getPrototypeOf({})).toBe(Object.prototype)
}

const hostile = ['__proto__', 'constructor', 'prototype']
const paths = [
  '/__proto__/polluted',
  '/constructor/prototype/polluted',
  '/obj/__proto__/polluted',
  '/obj/constructor/prototype/polluted',
  '/arr/__proto__/polluted',
  '/arr/constructor/prototype/polluted',
  '/arr/constructor',
  '/obj/constructor',
  '/__proto__',
]

describe('rule 8: safe paths', () => {
  afterAll(assertPrototypesUntouched)

  it.each(paths)('%s never reaches a prototype, in path or in from, with every operation', (p) => {
    const store = createStore({ value: { obj: {}, arr: [1], v: { polluted: true } } })
    const ops = [
      { op: 'add', path: p, value: 'x' },
      { op: 'replace', path: p, value: 'x' },
      { op: 'remove', path: p },
      { op: 'test', path: p, value: 'x' },
      { op: 'copy', from: '/v/polluted', path: p },
      { op: 'move', from: '/v/polluted', path: p },
      { op: 'copy', from: p, path: '/out' },
      { op: 'move', from: p, path: '/out' },
    ]
    for (const op of ops) {
      try {
        store.apply([op as never])
      } catch (e) {
        expect(e).toBeInstanceOf(PatchError)
      }
      assertPrototypesUntouched()
    }
  })

  it('refuses __proto__ segments with UNSAFE_PATH', () => {
    const store = createStore({ value: { a: {} } })
    expect(() => store.apply([{ op: 'add', path: '/a/__proto__', value: { polluted: 1 } }])).toThrow(
      expect.objectContaining({ code: 'UNSAFE_PATH', path: '/a/__proto__' }),
    )
    expect(() => store.apply([{ op: 'copy', from: '/__proto__', path: '/b' }])).toThrow(expect.objectContaining({ code: 'UNSAFE_PATH' }))
    expect(() => store.set(['a', '__proto__'] as never, 1 as never)).toThrow(expect.objectContaining({ code: 'UNSAFE_PATH' }))
  })

  it('keeps constructor and prototype as plain own data keys, never inherited members', () => {
    const store = createStore({ value: { a: {} } as Record<string, unknown> })
    expect(store.get('/a/constructor')).toBeUndefined()
    expect(() => store.apply([{ op: 'replace', path: '/a/constructor', value: 1 }])).toThrow(expect.objectContaining({ code: 'PATH_NOT_FOUND' }))
    expect(() => store.apply([{ op: 'add', path: '/a/constructor/prototype/polluted', value: 1 }])).toThrow(
      expect.objectContaining({ code: 'PATH_NOT_FOUND' }),
    )
    store.apply([{ op: 'add', path: '/a/constructor', value: { prototype: 1 } }])
    expect(store.get('/a/constructor/prototype')).toBe(1)
    expect(Object.getPrototypeOf(store.get('/a'))).toBe(Object.prototype)
  })

  it('refuses a __proto__ key inside a value (as JSON.parse would produce it)', () => {
    const store = createStore({ value: {} })
    const value = JSON.parse('{"__proto__": {"polluted": true}}')
    expect(() => store.set('/x' as never, value as never)).toThrow(expect.objectContaining({ code: 'VALUE_INVALID' }))
    expect(() => createStore({ value })).toThrow(PatchError)
  })

  it('survives random hostile paths on random operations', () => {
    const seg = fc.constantFrom(...hostile, 'obj', 'arr', '0', '-')
    const path = fc.array(seg, { minLength: 1, maxLength: 4 }).map((s) => '/' + s.join('/'))
    const op = fc.record({ op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test'), path, from: path, value: fc.jsonValue() })
    fc.assert(
      fc.property(fc.array(op, { maxLength: 4 }), (patch) => {
        const store = createStore({ value: { obj: { constructor: {} }, arr: [{}] } })
        try {
          store.apply(patch as never)
        } catch (e) {
          expect(e).toBeInstanceOf(PatchError)
        }
        try {
          applyPatch({ obj: {}, arr: [] }, patch as never)
        } catch (e) {
          expect(e).toBeInstanceOf(PatchError)
        }
        assertPrototypesUntouched()
      }),
      { numRuns: 500 },
    )
  })
})

describe('rule 8: values are plain JSON', () => {
  class Point {
    x = 1
  }
  const cyclic: Record<string, unknown> = {}
  cyclic.self = cyclic
  const sparse = [1, , 3] // eslint-disable-line no-sparse-arrays
  it.each([
    ['a function', () => 1],
    ['undefined', undefined],
    ['NaN', NaN],
    ['Infinity', -Infinity],
    ['a cycle', cyclic],
    ['a class instance', new Point()],
    ['a Date', new Date(0)],
    ['a Map', new Map()],
    ['a bigint', 1n],
    ['a symbol', Symbol('s')],
    ['a sparse array', sparse],
    ['undefined inside an object', { a: { b: undefined } }],
    ['a function deep in an array', [[{ f: () => 1 }]]],
  ])('refuses %s with VALUE_INVALID and changes nothing', (_, value) => {
    const store = createStore({ value: { a: 1 } })
    const before = store.get()
    for (const patch of [
      [{ op: 'add', path: '/v', value }],
      [{ op: 'replace', path: '/a', value }],
      [{ op: 'test', path: '/a', value }],
    ]) {
      expect(() => store.apply(patch as never)).toThrow(expect.objectContaining({ code: 'VALUE_INVALID' }))
    }
    expect(() => store.set('/a' as never, value as never)).toThrow(expect.objectContaining({ code: 'VALUE_INVALID' }))
    expect(store.get()).toBe(before)
    expect(store.revision).toBe(0)
  })

  it('refuses a non-JSON initial document', () => {
    expect(() => createStore({ value: { f: () => 1 } })).toThrow(expect.objectContaining({ code: 'VALUE_INVALID' }))
  })

  it('refuses nesting deeper than the explicit limit instead of overflowing the stack', () => {
    let deep: unknown = 1
    for (let i = 0; i < 5000; i++) deep = [deep]
    expect(() => createStore({ value: { deep } })).toThrow(expect.objectContaining({ code: 'TOO_DEEP' }))
  })

  it('accepts null-prototype objects as plain data', () => {
    const value = Object.assign(Object.create(null), { a: 1 })
    expect(createStore({ value }).get('/a')).toBe(1)
  })
})
