import { describe, expect, it } from 'vitest'
import { createStore, PatchError, type JsonValue, type Patch, type PatchErrorCode, type Store } from 'patchdb'
import { expectRefused as refused } from './refused'

/** An object whose `key` reads as each of `values` in turn (the last one from then on). */
function changing<T extends object>(base: T, key: string, ...values: unknown[]): T {
  let reads = 0
  return Object.defineProperty({ ...base }, key, { enumerable: true, get: () => values[Math.min(reads++, values.length - 1)] })
}

describe('rule 10, bounded input: each operation is read once: what is checked is what is applied and recorded', () => {
  it('a path getter that changes between reads cannot make the applied op differ from the recorded one', () => {
    const store = createStore({ value: { a: 0, b: 0 } as JsonValue })
    const op = changing({ op: 'replace', value: 1 }, 'path', '/a', '/b', '/__proto__/polluted')
    const r = store.apply([op as never])
    expect(r?.patch).toEqual([{ op: 'replace', path: '/a', value: 1 }])
    expect(store.get()).toEqual({ a: 1, b: 0 })
    expect(store.log()[0]!.patch).toEqual(r?.patch)
    // a replica fed the log ends where the store is
    const replica = createStore({ value: { a: 0, b: 0 } as JsonValue })
    replica.update(store.log())
    expect(replica.get()).toEqual(store.get())
  })

  it('op, from and value getters are read once too', () => {
    const store = createStore({ value: { a: { x: 1 }, b: 0 } as JsonValue })
    const move = changing({ path: '/c' }, 'from', '/a', '/b')
    const kind = changing({ path: '/b', value: 5 }, 'op', 'replace', 'remove')
    const value = changing({ op: 'add', path: '/d' }, 'value', 7, () => 'not json')
    const r = store.apply([changing(move, 'op', 'move', 'copy') as never, kind as never, value as never])
    expect(r?.patch).toEqual([
      { op: 'move', from: '/a', path: '/c' },
      { op: 'replace', path: '/b', value: 5 },
      { op: 'add', path: '/d', value: 7 },
    ])
    expect(store.get()).toEqual({ b: 5, c: { x: 1 }, d: 7 })
  })

  it('a getter inside a value is read once: the stored copy is what was checked', () => {
    const store = createStore({ value: {} as JsonValue })
    const inner = changing({}, 'n', 1, 'second', () => 1)
    const r = store.apply([{ op: 'add', path: '/v', value: { inner } as never }])
    expect(store.get('/v' as never)).toEqual({ inner: { n: 1 } })
    expect(r?.patch[0]).toEqual({ op: 'add', path: '/v', value: { inner: { n: 1 } } })
    expect(Object.getOwnPropertyDescriptor(store.get('/v/inner' as never), 'n')?.get).toBeUndefined()
  })

  it('throwing getters, throwing Proxies and revoked Proxies give a PatchError and change nothing', () => {
    const store = createStore({ value: { a: 1 } as JsonValue })
    const boom = () => {
      throw new Error('boom')
    }
    const throwing = (key: string, op = 'add') => Object.defineProperty({ op, path: '/x', from: '/a', value: 1 }, key, { get: boom })
    const trap = new Proxy({ op: 'add', path: '/x', value: 1 }, { get: boom })
    const revoked = Proxy.revocable({ op: 'add', path: '/x', value: 1 }, {})
    revoked.revoke()
    for (const key of ['op', 'path', 'value']) refused(store, () => store.apply([throwing(key) as never]), 'OPERATION_INVALID')
    refused(store, () => store.apply([throwing('from', 'move') as never]), 'OPERATION_INVALID')
    refused(store, () => store.apply([trap as never]), 'OPERATION_INVALID')
    refused(store, () => store.apply([revoked.proxy as never]), 'OPERATION_INVALID')
    // a value that cannot be read
    refused(store, () => store.apply([{ op: 'add', path: '/x', value: new Proxy({}, { ownKeys: boom }) as never }]), 'VALUE_INVALID')
    refused(store, () => store.apply([{ op: 'add', path: '/x', value: Object.defineProperty({}, 'k', { enumerable: true, get: boom }) as never }]), 'VALUE_INVALID')
    refused(store, () => store.set('/x' as never, new Proxy({ a: 1 }, { get: boom }) as never), 'VALUE_INVALID')
    refused(store, () => store.update({ id: 1, value: new Proxy({}, { ownKeys: boom }) as never }), 'VALUE_INVALID')
  })

  it('the patch array itself is read once: a Proxy or a length getter cannot change it under the store', () => {
    const store = createStore({ value: { a: 1 } as JsonValue })
    const ops = [
      { op: 'replace', path: '/a', value: 2 },
      { op: 'add', path: '/b', value: 3 },
    ]
    let lengthReads = 0
    const growing = new Proxy(ops, { get: (t, k, r) => (k === 'length' ? (lengthReads++ ? 2 : 1) : Reflect.get(t, k, r)) })
    const r = store.apply(growing as unknown as Patch)
    expect(lengthReads).toBe(1)
    expect(r?.patch).toEqual([{ op: 'replace', path: '/a', value: 2 }])
    expect(store.get()).toEqual({ a: 2 })
    const boom = () => {
      throw new Error('boom')
    }
    refused(store, () => store.apply(new Proxy(ops, { get: boom }) as unknown as Patch), 'OPERATION_INVALID')
    const revoked = Proxy.revocable(ops, {})
    revoked.revoke()
    refused(store, () => store.apply(revoked.proxy as unknown as Patch), 'OPERATION_INVALID')
    refused(store, () => store.apply(Object.defineProperty([], 0, { get: boom }) as unknown as Patch), 'OPERATION_INVALID')
  })
})

describe('rule 10, bounded input: every bad argument to the public API gives a PatchError and leaves the store untouched', () => {
  const fn = () => {}
  const cases: [string, (s: Store<JsonValue>) => unknown, PatchErrorCode][] = [
    ['get(5)', (s) => s.get(5 as never), 'POINTER_INVALID'],
    ['get({})', (s) => s.get({} as never), 'POINTER_INVALID'],
    ['get(null)', (s) => s.get(null as never), 'POINTER_INVALID'],
    ['get("a")', (s) => s.get('a' as never), 'POINTER_INVALID'],
    ['get([{}])', (s) => s.get([{}] as never), 'POINTER_INVALID'],
    ['get([-1])', (s) => s.get([-1] as never), 'POINTER_INVALID'],
    ['watch(null, fn)', (s) => s.watch(null as never, fn), 'POINTER_INVALID'],
    ['watch("/a", "notfn")', (s) => s.watch('/a' as never, 'notfn' as never), 'ARGUMENT_INVALID'],
    ['subscribe(5)', (s) => s.subscribe(5 as never), 'ARGUMENT_INVALID'],
    ['observe(5)', (s) => s.observe(5 as never), 'POINTER_INVALID'],
    ['apply("x")', (s) => s.apply('x' as never), 'OPERATION_INVALID'],
    ['apply(undefined)', (s) => s.apply(undefined as never), 'OPERATION_INVALID'],
    ['apply([null])', (s) => s.apply([null] as never), 'OPERATION_INVALID'],
    ['apply([5])', (s) => s.apply([5] as never), 'OPERATION_INVALID'],
    ['apply([{ op: "add", path: 5 }])', (s) => s.apply([{ op: 'add', path: 5, value: 1 }] as never), 'OPERATION_INVALID'],
    ['apply([{ op: "move", path: "/b" }])', (s) => s.apply([{ op: 'move', path: '/b' }] as never), 'OPERATION_INVALID'],
    ['set(undefined, 1)', (s) => s.set(undefined as never, 1 as never), 'POINTER_INVALID'],
    ['set(5, 1)', (s) => s.set(5 as never, 1 as never), 'POINTER_INVALID'],
    ['set("/a", undefined)', (s) => s.set('/a' as never, undefined as never), 'VALUE_INVALID'],
    ['set("/zz", undefined)', (s) => s.set('/zz' as never, undefined as never), 'VALUE_INVALID'],
    ['set("/a", a Map)', (s) => s.set('/a' as never, new Map() as never), 'VALUE_INVALID'],
    ['set("", a Date in a shared shape)', (s) => s.set('' as never, { a: 1, o: new Date(0) } as never), 'VALUE_INVALID'],
    ['transact(5)', (s) => s.transact(5 as never), 'ARGUMENT_INVALID'],
    ['tx.set(5, 1)', (s) => s.transact((tx) => tx.set(5 as never, 1 as never)), 'POINTER_INVALID'],
    ['tx.apply(null)', (s) => s.transact((tx) => tx.apply(null as never)), 'OPERATION_INVALID'],
    ['update(null)', (s) => s.update(null as never), 'ARGUMENT_INVALID'],
    ['update(5)', (s) => s.update(5 as never), 'ARGUMENT_INVALID'],
    ['update([{}])', (s) => s.update([{}] as never), 'ARGUMENT_INVALID'],
    ['update({ id: -1, patch: [] })', (s) => s.update({ id: -1, patch: [] }), 'ARGUMENT_INVALID'],
    ['update({ id: 1.5, value: {} })', (s) => s.update({ id: 1.5, value: {} }), 'ARGUMENT_INVALID'],
    ['update({ id: 1, patch: "x" })', (s) => s.update({ id: 1, patch: 'x' as never }), 'OPERATION_INVALID'],
    ['update({ id: 1, value: undefined })', (s) => s.update({ id: 1, value: undefined as never }), 'VALUE_INVALID'],
  ]
  it.each(cases)('%s', (_, attempt, code) => {
    const store = createStore({ value: { a: 1, o: {} } as JsonValue })
    refused(store, () => attempt(store), code)
  })

  it.each([
    ['createStore(5)', () => createStore(5 as never), 'ARGUMENT_INVALID'],
    ['createStore(null)', () => createStore(null as never), 'ARGUMENT_INVALID'],
    ['createStore({})', () => createStore({} as never), 'ARGUMENT_INVALID'],
    ['createStore({ value: undefined })', () => createStore({ value: undefined }), 'VALUE_INVALID'],
    ['createStore({ value: () => 1 })', () => createStore({ value: () => 1 }), 'VALUE_INVALID'],
    ['createStore({ value: {} }, null)', () => createStore({ value: {} }, null as never), 'ARGUMENT_INVALID'],
    ['createStore({ value: {} }, { beforeCommit: 1 })', () => createStore({ value: {} }, { beforeCommit: 1 as never }), 'ARGUMENT_INVALID'],
  ] as const)('%s', (_, attempt, code) => {
    expect(attempt).toThrow(expect.objectContaining({ name: 'PatchError', code }))
  })

  it('out-of-range numbers are RangeErrors that say what is wrong (documented)', () => {
    expect(() => createStore({ id: -1, value: {} })).toThrow(/revision id must be a whole number >= 0/)
    expect(() => createStore({ value: {} }, { history: -1 })).toThrow(RangeError)
  })
})
