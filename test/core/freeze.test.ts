import { describe, expect, it } from 'vitest'
import { createStore, type JsonValue } from 'patchdb'

/** Every object or array reachable from `v`, with its pointer. */
function nodes(v: unknown, at = '', out: [string, object][] = []): [string, object][] {
  if (typeof v === 'object' && v !== null) {
    out.push([at, v])
    for (const [k, c] of Object.entries(v)) nodes(c, `${at}/${k}`, out)
  }
  return out
}

describe('no unfrozen node can enter a committed document', () => {
  it('a patch refused inside a transaction after a set rolls back to frozen nodes only (shrunk fuzz case)', () => {
    const store = createStore({ value: { '1': {}, '2': false, 'm~n': {} } as JsonValue })
    store.transact((tx) => {
      tx.set('/m~0n' as never, [] as never)
      // move onto the root, then a failing test: the move is rolled back, re-adding /m~n
      expect(() =>
        tx.apply([
          { op: 'move', from: '/m~0n', path: '' },
          { op: 'test', path: '', value: false },
        ]),
      ).toThrow(expect.objectContaining({ code: 'TEST_FAILED' }))
    })
    expect(store.get()).toEqual({ '1': {}, '2': false, 'm~n': [] })
    for (const [at, node] of nodes(store.get())) expect(Object.isFrozen(node), at).toBe(true)
    for (const entry of store.log()) for (const [at, node] of [...nodes(entry.patch), ...nodes(entry.inverse)]) expect(Object.isFrozen(node), `log ${at}`).toBe(true)
  })

  it('the inverse of a move that overwrote a value is frozen with the log', () => {
    const store = createStore({ value: { a: { x: [1] }, b: { y: 2 } } as JsonValue })
    store.apply([{ op: 'move', from: '/a', path: '/b' }])
    const [entry] = store.log()
    for (const [at, node] of [...nodes(entry!.patch), ...nodes(entry!.inverse)]) expect(Object.isFrozen(node), at).toBe(true)
  })
})
