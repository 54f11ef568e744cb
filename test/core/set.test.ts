import { describe, expect, it } from 'vitest'
import { createStore, PatchError, type JsonValue } from 'patchdb'

type Row = { id: number; label: string }
const rowsDoc = (n: number) => ({ rows: Array.from({ length: n }, (_, i): Row => ({ id: i, label: `row ${i}` })) })

describe('set takes what the store already owns as it is, and checks and copies only the rest', () => {
  it('set of a new version sharing 9,990 of 10,000 rows writes 10 operations and keeps every shared row', () => {
    const store = createStore({ value: rowsDoc(10_000) })
    const old = store.get().rows
    const rows = old.slice()
    const changed = Array.from({ length: 10 }, (_, k) => k * 997)
    for (const i of changed) rows[i] = { id: i, label: `changed ${i}` }
    const r = store.set('', { rows } as never)
    expect(r?.patch).toHaveLength(10)
    const now = store.get().rows
    for (let i = 0; i < now.length; i++) {
      if (changed.includes(i)) {
        expect(now[i]).toEqual({ id: i, label: `changed ${i}` })
        expect(now[i]).not.toBe(rows[i]) // a private copy, not the caller's object
        expect(Object.isFrozen(now[i])).toBe(true)
      } else expect(now[i]).toBe(old[i])
    }
    // the caller's objects stay the caller's
    ;(rows[0] as { label: string }).label = 'mutated after set'
    expect(store.get().rows[0]!.label).toBe('changed 0')
  })

  it('what is not plain JSON is refused wherever it sits in the new version, also next to shared nodes', () => {
    class Point {
      id = 1
      label = 'row 1'
    }
    const store = createStore({ value: rowsDoc(3) as unknown as JsonValue })
    const rows = (store.get() as { rows: Row[] }).rows
    const before = store.get()
    const attempts = [
      // deep-equal by keys to the stored row, but a class instance
      { rows: [rows[0], new Point(), rows[2]] },
      { rows: [rows[0], Object.assign(Object.create({ inherited: 1 }), rows[1]), rows[2]] },
      { rows, extra: () => 1 },
      { rows: [...rows, { id: 3, label: undefined }] },
      { rows: [rows[0], , rows[2]] }, // eslint-disable-line no-sparse-arrays
      { rows, n: NaN },
      { rows: new Map() },
    ]
    for (const next of attempts) {
      expect(() => store.set('' as never, next as never), JSON.stringify(next)).toThrow(PatchError)
      expect(() => store.set('' as never, next as never)).toThrow(expect.objectContaining({ code: 'VALUE_INVALID' }))
    }
    expect(store.get()).toBe(before)
    expect(store.revision).toBe(0)
  })

  it('a new version equal to the stored one, built anew, is no change', () => {
    const store = createStore({ value: rowsDoc(100) })
    expect(store.set('', JSON.parse(JSON.stringify(store.get())))).toBeNull()
    expect(store.revision).toBe(0)
  })
})
