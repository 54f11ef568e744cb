import { describe, expect, it } from 'vitest'
import { createStore, PatchError, type JsonValue, type LogEntry, type Store } from 'patchdb'

describe('beforeCommit cannot write to the store', () => {
  const writes: [string, (s: Store<JsonValue>) => unknown][] = [
    ['apply', (s) => s.apply([{ op: 'replace', path: '/n', value: 100 }])],
    ['set', (s) => s.set('/n' as never, 100 as never)],
    ['transact', (s) => s.transact((tx) => tx.set('/n' as never, 100 as never))],
    ['update', (s) => s.update({ id: 2, patch: [{ op: 'replace', path: '/n', value: 100 }] })],
  ]

  it.each(writes)('%s from beforeCommit is refused with COMMIT_OPEN and never makes two revisions with one id', (_, write) => {
    const entries: LogEntry[] = []
    const errors: unknown[] = []
    const box: { store?: Store<JsonValue> } = {}
    const store = createStore({ value: { n: 0 } as JsonValue }, {
      beforeCommit(entry) {
        entries.push(entry)
        try {
          write(box.store!)
        } catch (e) {
          errors.push(e)
        }
      },
    })
    box.store = store
    const r = store.apply([{ op: 'replace', path: '/n', value: 1 }])
    expect(r?.id).toBe(1)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(PatchError)
    expect((errors[0] as PatchError).code).toBe('COMMIT_OPEN')
    expect(entries.map((e) => e.id)).toEqual([1])
    expect(store.get()).toEqual({ n: 1 })
    expect(store.log().map((e) => e.id)).toEqual([1])
    // the store is writable again afterwards
    expect(store.apply([{ op: 'replace', path: '/n', value: 2 }])?.id).toBe(2)
    expect(entries.map((e) => e.id)).toEqual([1, 2])
  })

  it('an uncaught COMMIT_OPEN aborts the outer revision too, and the store stays writable', () => {
    let inner = true
    const box: { store?: Store<JsonValue> } = {}
    const store = createStore({ value: { n: 0 } as JsonValue }, {
      beforeCommit() {
        if (inner) box.store!.set('/n' as never, 5 as never)
      },
    })
    box.store = store
    expect(() => store.set('/n' as never, 1 as never)).toThrow(expect.objectContaining({ code: 'COMMIT_OPEN' }))
    expect(store.revision).toBe(0)
    expect(store.get()).toEqual({ n: 0 })
    inner = false
    expect(store.set('/n' as never, 1 as never)?.id).toBe(1)
  })
})
