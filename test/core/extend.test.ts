import { describe, expect, it } from 'vitest'
import { createStore, extendStore, type Patch } from 'patchdb'

describe('extendStore', () => {
  it('carries the whole store API, bound, with a live revision, plus the extras', () => {
    const store = createStore({ value: { n: 0 } })
    let flushed = 0
    const wrapped = extendStore(store, { flush: () => ++flushed })
    const { set, get } = wrapped // bound: usable detached
    const seen: unknown[] = []
    wrapped.watch('/n', (v) => seen.push(v))
    set('/n', 1)
    expect(get('/n')).toBe(1)
    expect(wrapped.revision).toBe(1)
    expect(wrapped.flush()).toBe(1)
    expect(seen).toEqual([1])
    for (const m of ['get', 'apply', 'set', 'transact', 'watch', 'subscribe', 'dump', 'update', 'log', 'valueAt', 'observe', 'stats'] as const) {
      expect(typeof wrapped[m]).toBe('function')
    }
  })

  it('lets extras replace methods and keeps their getters live', () => {
    const store = createStore({ value: { n: 0 } })
    let role = 'follower'
    const wrapped = extendStore(store, {
      apply: (_: Patch) => null,
      get role() {
        return role
      },
    })
    expect(wrapped.apply([{ op: 'replace', path: '/n', value: 1 }])).toBeNull()
    expect(store.revision).toBe(0)
    role = 'writer'
    expect(wrapped.role).toBe('writer')
  })
})
