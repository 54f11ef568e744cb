import { describe, expect, it } from 'vitest'
import { createStore, PatchError, type Revision } from 'patchdb'

const rows = (n: number) => ({ list: Array.from({ length: n }, (_, i) => ({ id: i })) })

describe('rule 1: atomic', () => {
  it('a failing operation keeps value, revision and log, calls no watcher, and names the operation', () => {
    const store = createStore({ value: { a: 1, b: [1, 2] } })
    store.set('/a', 2)
    const before = store.get()
    const log = store.log()
    let calls = 0
    store.watch('', () => calls++)
    store.watch('/b', () => calls++)
    store.subscribe(() => calls++)
    const attempt = () =>
      store.apply([
        { op: 'add', path: '/b/-', value: 3 },
        { op: 'replace', path: '/a', value: 9 },
        { op: 'remove', path: '/b/7' },
      ])
    expect(attempt).toThrow(PatchError)
    try {
      attempt()
    } catch (e) {
      const err = e as PatchError
      expect(err.code).toBe('INDEX_OUT_OF_BOUNDS')
      expect(err.index).toBe(2)
      expect(err.path).toBe('/b/7')
      expect(err.message).toMatch(/operation 2 \(\/b\/7\).*past the end/)
    }
    expect(store.get()).toBe(before)
    expect(store.get()).toEqual({ a: 2, b: [1, 2] })
    expect(store.revision).toBe(1)
    expect(store.log()).toEqual(log)
    expect(calls).toBe(0)
  })

  it('gives each failure its reason code', () => {
    const store = createStore({ value: { a: { b: 1 }, arr: [1], t: 'x' } })
    const code = (patch: unknown) => {
      try {
        store.apply(patch as never)
      } catch (e) {
        return (e as PatchError).code
      }
      return 'applied'
    }
    expect(code([{ op: 'nope', path: '/a' }])).toBe('OPERATION_INVALID')
    expect(code([{ op: 'add', path: '/a' }])).toBe('OPERATION_INVALID')
    expect(code([{ op: 'move', path: '/a' }])).toBe('OPERATION_INVALID')
    expect(code({ op: 'add', path: '/a', value: 1 })).toBe('OPERATION_INVALID')
    expect(code([{ op: 'add', path: 'a', value: 1 }])).toBe('POINTER_INVALID')
    expect(code([{ op: 'add', path: '/a~2', value: 1 }])).toBe('POINTER_INVALID')
    expect(code([{ op: 'remove', path: '/zz' }])).toBe('PATH_NOT_FOUND')
    expect(code([{ op: 'add', path: '/zz/y', value: 1 }])).toBe('PATH_NOT_FOUND')
    expect(code([{ op: 'add', path: '/arr/5', value: 1 }])).toBe('INDEX_OUT_OF_BOUNDS')
    expect(code([{ op: 'add', path: '/arr/01', value: 1 }])).toBe('INDEX_OUT_OF_BOUNDS')
    expect(code([{ op: 'test', path: '/t', value: 'y' }])).toBe('TEST_FAILED')
    expect(code([{ op: 'move', from: '/a', path: '/a/b/c' }])).toBe('MOVE_INTO_ITSELF')
    expect(code([{ op: 'add', path: '/__proto__/x', value: 1 }])).toBe('UNSAFE_PATH')
    expect(code([{ op: 'add', path: '/x', value: () => 1 }])).toBe('VALUE_INVALID')
    expect(code([{ op: 'remove', path: '' }])).toBe('OPERATION_INVALID')
    expect(store.revision).toBe(0)
  })
})

describe('rule 3: no-ops are not changes', () => {
  it.each([
    ['replace with an equal value', [{ op: 'replace', path: '/a', value: { b: [1, 2] } }]],
    ['only test operations', [{ op: 'test', path: '/a/b/0', value: 1 }]],
    ['move to itself', [{ op: 'move', from: '/a', path: '/a' }]],
    ['a change and its reverse', [{ op: 'replace', path: '/n', value: 2 }, { op: 'replace', path: '/n', value: 1 }]],
    ['remove and add back', [{ op: 'remove', path: '/a/b/1' }, { op: 'add', path: '/a/b/-', value: 2 }]],
    ['add an existing key with its value', [{ op: 'add', path: '/n', value: 1 }]],
  ] as const)('%s makes no revision and calls nobody', (_, patch) => {
    const store = createStore({ value: { a: { b: [1, 2] }, n: 1 } })
    const before = store.get()
    let calls = 0
    for (const p of ['', '/a', '/a/b', '/a/b/1', '/n']) store.watch(p, () => calls++)
    store.subscribe(() => calls++)
    expect(store.apply(patch as never)).toBeNull()
    expect(store.get()).toBe(before)
    expect(store.revision).toBe(0)
    expect(store.log()).toEqual([])
    expect(calls).toBe(0)
  })

  it('set of an equal value and an empty transaction are no-ops too', () => {
    const store = createStore({ value: { a: { b: [1, 2] } } })
    expect(store.set('/a', { b: [1, 2] })).toBeNull()
    expect(store.transact(() => {})).toBeNull()
    expect(store.revision).toBe(0)
  })
})

describe('rule 4: structural sharing', () => {
  it('keeps untouched subtrees identical and copies each node on the changed path', () => {
    const store = createStore({ value: { a: { x: { deep: 1 } }, b: { y: [1, 2] }, c: [{ k: 1 }, { k: 2 }] } })
    const s0 = store.get()
    store.apply([{ op: 'replace', path: '/c/1/k', value: 3 }])
    const s1 = store.get()
    expect(s1).not.toBe(s0)
    expect(s1.c).not.toBe(s0.c)
    expect(s1.c[1]).not.toBe(s0.c[1])
    expect(s1.a).toBe(s0.a)
    expect(s1.b).toBe(s0.b)
    expect(s1.c[0]).toBe(s0.c[0])
  })

  it('keeps the identity of equal parts of a replaced value', () => {
    const store = createStore({ value: { rows: [{ id: 1 }, { id: 2 }, { id: 3 }] } })
    const s0 = store.get()
    store.apply([{ op: 'replace', path: '/rows', value: [{ id: 1 }, { id: 20 }, { id: 3 }] }])
    const s1 = store.get()
    expect(s1.rows[0]).toBe(s0.rows[0])
    expect(s1.rows[2]).toBe(s0.rows[2])
    expect(s1.rows[1]).toEqual({ id: 20 })
  })

  it('hands out frozen values, and a private copy of what was written', () => {
    const store = createStore<{ a: { b: number }; m?: { c: number[] } }>({ value: { a: { b: 1 } } })
    const mine = { c: [1] }
    store.apply([{ op: 'add', path: '/m', value: mine }])
    mine.c.push(2)
    expect(store.get('/m')).toEqual({ c: [1] })
    expect(Object.isFrozen(store.get())).toBe(true)
    expect(Object.isFrozen(store.get('/m/c'))).toBe(true)
    expect(() => {
      ;(store.get('/a') as { b: number }).b = 2
    }).toThrow(TypeError)
  })

  it('can leave values unfrozen (freeze: false), as production builds do', () => {
    const store = createStore({ value: { a: { b: 1 } } }, { freeze: false })
    store.set('/a/b', 2)
    expect(Object.isFrozen(store.get('/a'))).toBe(false)
  })

  it('copies a node once per transaction, however often it is written', () => {
    const store = createStore({ value: { a: { n: 0 }, other: {} } })
    const s0 = store.get()
    store.transact((tx) => {
      tx.set('/a/n', 1)
      const first = tx.get('/a')
      for (let i = 2; i <= 1000; i++) tx.apply([{ op: 'replace', path: '/a/n', value: i }])
      expect(tx.get('/a')).toBe(first) // written in place: the one copy made by the first write
      expect(tx.get('/a/n')).toBe(1000) // read-your-writes
    })
    expect(store.get('/a/n')).toBe(1000)
    expect(store.get('/other')).toBe(s0.other)
    expect(store.log()).toHaveLength(1)
  })
})

describe('rule 5: exact notification', () => {
  it('an add or remove at /list/1 changes /list/3 but not /list/0', () => {
    const store = createStore({ value: rows(5) })
    const calls: string[] = []
    for (const p of ['/list/0', '/list/1', '/list/3', '/list/4', '/list/5', '/list']) store.watch(p, () => calls.push(p))
    store.apply([{ op: 'remove', path: '/list/1' }])
    expect(calls.sort()).toEqual(['/list', '/list/1', '/list/3', '/list/4'])
    calls.length = 0
    store.apply([{ op: 'add', path: '/list/1', value: { id: 1 } }])
    expect(calls.sort()).toEqual(['/list', '/list/1', '/list/3', '/list/4'])
  })

  it('a change to /a changes /a/b and the root, not /c', () => {
    const store = createStore({ value: { a: { b: 1 }, c: 1 } })
    const calls: string[] = []
    for (const p of ['', '/a', '/a/b', '/c']) store.watch(p, () => calls.push(p))
    store.set('/a', { b: 2 })
    expect(calls).toEqual(['', '/a', '/a/b'])
  })

  it('calls a watcher once per revision even when a patch writes its value many times', () => {
    const store = createStore({ value: { a: 0 } })
    const seen: [unknown, number][] = []
    store.watch('/a', (v, r) => seen.push([v, r.id]))
    store.apply([
      { op: 'replace', path: '/a', value: 1 },
      { op: 'replace', path: '/a', value: 2 },
    ])
    expect(seen).toEqual([[2, 1]])
  })

  it('watches a missing pointer until it appears, and sees it disappear', () => {
    const store = createStore({ value: {} as Record<string, unknown> })
    const seen: unknown[] = []
    store.watch('/x/y', (v) => seen.push(v))
    store.set('/x', { y: null })
    store.set('/x', {})
    expect(seen).toEqual([null, undefined])
  })

  it('unsubscribing removes the watcher and its empty trie nodes', () => {
    const store = createStore({ value: rows(3) })
    const empty = store.stats()
    const stops = [store.watch('/list/0/id', () => {}), store.watch('/list/1', () => {}), store.watch(['list', 1], () => {})]
    expect(store.stats().watchers).toBe(3)
    expect(store.stats().nodes).toBe(5)
    for (const stop of stops) stop()
    stops[0]!() // twice is harmless
    expect(store.stats()).toEqual(empty)
    expect(empty).toMatchObject({ watchers: 0, nodes: 1 })
  })

  it('the same function watched twice is called twice, and stops one at a time', () => {
    const store = createStore({ value: { a: 0 } })
    let calls = 0
    const fn = () => calls++
    const stop = store.watch('/a', fn)
    store.watch('/a', fn)
    store.set('/a', 1)
    stop()
    store.set('/a', 2)
    expect(calls).toBe(3)
  })

  it('walks only written branches: 10,000 row watchers, one row written, one call', () => {
    const store = createStore({ value: rows(10_000) })
    let calls = 0
    for (let i = 0; i < 10_000; i++) store.watch(`/list/${i}`, () => calls++)
    store.apply([{ op: 'replace', path: '/list/5000/id', value: -1 }])
    expect(calls).toBe(1)
  })

  it('a watcher that writes sees its revision finish first; others get every revision in order', () => {
    const store = createStore({ value: { a: 0, b: 0 } })
    const order: string[] = []
    store.watch('/a', (v) => {
      order.push(`a=${v}`)
      if (v === 1) store.set('/b', 1)
    })
    store.watch('', (_, r) => order.push(`root@${r.id}`))
    store.set('/a', 1)
    expect(order).toEqual(['root@1', 'a=1', 'root@2'])
    expect(store.revision).toBe(2)
  })

  it('a throwing watcher neither undoes the revision nor starves the others', () => {
    const errors: unknown[] = []
    const store = createStore({ value: { a: 0 } }, { onError: (e) => errors.push(e) })
    const seen: number[] = []
    store.watch('/a', () => {
      throw new Error('watcher failed')
    })
    store.watch('/a', (v) => seen.push(v as number))
    expect(store.set('/a', 1)?.id).toBe(1)
    expect(store.get()).toEqual({ a: 1 })
    expect(seen).toEqual([1])
    expect(errors).toHaveLength(1)
    expect(String(errors[0])).toContain('watcher failed')
  })
})

describe('rule 6: scoped patches', () => {
  const scoped = (init: unknown, pointer: string, patch: unknown) => {
    const store = createStore({ value: init })
    let got: Revision | undefined
    store.watch(pointer, (_, r) => (got = r))
    store.apply(patch as never)
    return got?.patch
  }

  it('rewrites operations below the pointer relative to it and drops siblings', () => {
    expect(
      scoped({ a: { b: { c: 1 } }, z: 0 }, '/a/b', [
        { op: 'replace', path: '/a/b/c', value: 2 },
        { op: 'replace', path: '/z', value: 1 },
        { op: 'add', path: '/a/b/d', value: [] },
        { op: 'test', path: '/a/b/c', value: 2 },
      ]),
    ).toEqual([
      { op: 'replace', path: '/c', value: 2 },
      { op: 'add', path: '/d', value: [] },
      { op: 'test', path: '/c', value: 2 },
    ])
  })

  it('turns a write above the pointer into a root replace, add or remove', () => {
    expect(scoped({ a: { b: 1 } }, '/a/b', [{ op: 'replace', path: '/a', value: { b: 2 } }])).toEqual([{ op: 'replace', path: '', value: 2 }])
    expect(scoped({ a: {} }, '/a/b', [{ op: 'replace', path: '/a', value: { b: 2 } }])).toEqual([{ op: 'add', path: '', value: 2 }])
    expect(scoped({ a: { b: 1 } }, '/a/b', [{ op: 'remove', path: '/a' }])).toEqual([{ op: 'remove', path: '' }])
  })

  it('treats an index shift on the way to the pointer as a write above it', () => {
    expect(scoped({ l: [1, 2, 3] }, '/l/2', [{ op: 'remove', path: '/l/0' }])).toEqual([{ op: 'remove', path: '' }])
    expect(scoped({ l: [1, 2, 3] }, '/l/1', [{ op: 'add', path: '/l/0', value: 0 }])).toEqual([{ op: 'replace', path: '', value: 1 }])
  })

  it('handles move and copy across the scope boundary', () => {
    // out of the scope: a remove inside it
    expect(scoped({ a: { x: 1, y: 2 }, b: {} }, '/a', [{ op: 'move', from: '/a/x', path: '/b/x' }])).toEqual([{ op: 'remove', path: '/x' }])
    // within the scope: kept as a move
    expect(scoped({ a: { x: 1 } }, '/a', [{ op: 'move', from: '/a/x', path: '/a/y' }])).toEqual([{ op: 'move', from: '/x', path: '/y' }])
    // into the scope: the value comes from outside, so the new sub-value is sent whole
    expect(scoped({ a: { x: 1 }, b: 5 }, '/a', [{ op: 'copy', from: '/b', path: '/a/z' }])).toEqual([{ op: 'replace', path: '', value: { x: 1, z: 5 } }])
    // copy out of the scope changes nothing inside: no call
    expect(scoped({ a: { x: 1 }, b: 5 }, '/a', [{ op: 'copy', from: '/a/x', path: '/b' }])).toBeUndefined()
  })

  it('gives root watchers the whole patch', () => {
    const patch = [{ op: 'add', path: '/k', value: 1 }]
    expect(scoped({}, '', patch)).toEqual(patch)
  })
})

describe('rule 7: ordered updates', () => {
  it('applies only revision + 1, ignores duplicates, reports a gap without applying it', () => {
    const store = createStore({ id: 10, value: { n: 0 } })
    const seen: number[] = []
    store.subscribe((r) => seen.push(r.id))
    expect(store.update({ id: 11, patch: [{ op: 'replace', path: '/n', value: 1 }] })).toEqual({ status: 'applied', revision: 11 })
    expect(store.update({ id: 11, patch: [{ op: 'replace', path: '/n', value: 99 }] })).toEqual({ status: 'duplicate', revision: 11 })
    expect(store.update({ id: 5, patch: [] })).toEqual({ status: 'duplicate', revision: 11 })
    expect(store.update({ id: 13, patch: [{ op: 'replace', path: '/n', value: 3 }] })).toEqual({ status: 'gap', revision: 11, expected: 12 })
    expect(store.get('/n')).toBe(1)
    expect(seen).toEqual([11])
  })

  it('applies a batch in order and stops at the first gap', () => {
    const store = createStore({ value: { n: 0 } })
    const r = (id: number) => ({ id, patch: [{ op: 'replace' as const, path: '/n', value: id }] })
    expect(store.update([r(1), r(2), r(1), r(3)])).toEqual({ status: 'applied', revision: 3 })
    expect(store.update([r(4), r(6), r(7)])).toEqual({ status: 'gap', revision: 4, expected: 5 })
    expect(store.get('/n')).toBe(4)
  })

  it('a server revision that changes nothing still advances the revision', () => {
    const store = createStore({ value: { n: 0 } })
    expect(store.update({ id: 1, patch: [{ op: 'test', path: '/n', value: 0 }] }).revision).toBe(1)
    expect(store.update({ id: 2, patch: [{ op: 'replace', path: '/n', value: 2 }] }).status).toBe('applied')
  })

  it('accepts a newer dump (filling a gap), keeps identity of equal parts, and rejects an older one', () => {
    const store = createStore({ id: 3, value: { a: { x: 1 }, b: { y: 1 } } })
    const a = store.get('/a')
    const calls: string[] = []
    store.watch('/a', () => calls.push('/a'))
    store.watch('/b', () => calls.push('/b'))
    expect(store.update({ id: 9, value: { a: { x: 1 }, b: { y: 2 } } })).toEqual({ status: 'applied', revision: 9 })
    expect(store.get('/a')).toBe(a)
    expect(calls).toEqual(['/b'])
    expect(store.log()).toEqual([])
    expect(store.update({ id: 8, value: { a: { x: 0 }, b: { y: 0 } } })).toEqual({ status: 'stale', revision: 9 })
    expect(store.get()).toEqual({ a: { x: 1 }, b: { y: 2 } })
  })

  it('throws on a revision that does not apply, and stays where it was', () => {
    const store = createStore({ value: { n: 0 } })
    expect(() => store.update({ id: 1, patch: [{ op: 'remove', path: '/zz' }] })).toThrow(PatchError)
    expect(store.revision).toBe(0)
  })
})

describe('rule 9: history', () => {
  it('keeps the last N revisions with inverse patches and rebuilds any retained state', () => {
    const store = createStore({ value: { n: 0 } }, { history: 3 })
    const states = [store.get()]
    for (let i = 1; i <= 5; i++) {
      store.set('/n', i)
      states.push(store.get())
    }
    expect(store.log().map((e) => e.id)).toEqual([3, 4, 5])
    expect(store.log(3).map((e) => e.id)).toEqual([4, 5])
    expect(store.log()[0]!.inverse).toEqual([{ op: 'replace', path: '/n', value: 2 }])
    for (const id of [2, 3, 4, 5]) expect(store.valueAt(id)).toEqual(states[id])
    expect(() => store.valueAt(1)).toThrow(RangeError)
    expect(() => store.valueAt(6)).toThrow(RangeError)
  })

  it('undo is applying the inverse as a new revision', () => {
    const store = createStore({ value: { todos: ['a', 'b'] } })
    store.apply([{ op: 'remove', path: '/todos/0' }])
    const last = store.log().at(-1)!
    store.apply(last.inverse)
    expect(store.get()).toEqual({ todos: ['a', 'b'] })
    expect(store.revision).toBe(2)
  })

  it.each([
    ['a move that overwrites, shifting the array it came from', [[], false, { p: false, q: true }, { p: [], a: {} }], [{ op: 'move', from: '/1', path: '/2/p' }]],
    ['a move onto an ancestor in an array', [{ a: { b: 1 } }], [{ op: 'move', from: '/0/a', path: '/0' }]],
    ['a move onto the root', { a: { b: 1 }, c: 2 }, [{ op: 'move', from: '/a', path: '' }]],
    ['a move, then writes into the moved value', { a: { x: 1 }, b: {} }, [{ op: 'move', from: '/a', path: '/b/a' }, { op: 'replace', path: '/b/a/x', value: 2 }]],
  ] as const)('inverse patches undo %s', (_, value, patch) => {
    const store = createStore({ value: value as never })
    const before = store.get()
    store.apply(patch as never)
    const [entry] = store.log()
    store.apply(entry!.inverse)
    expect(store.get()).toEqual(before)
  })

  it('history: 0 keeps nothing; a bad size is refused', () => {
    const store = createStore({ value: { n: 0 } }, { history: 0 })
    store.set('/n', 1)
    expect(store.log()).toEqual([])
    expect(() => createStore({ value: {} }, { history: -1 })).toThrow(RangeError)
  })
})
