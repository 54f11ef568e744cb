import { describe, expect, it } from 'vitest'
import { createStore, PatchError, type JsonValue, type Revision } from 'patchdb'

const rev = (id: number, n = id): Revision => ({ id, patch: [{ op: 'replace', path: '/n', value: n }] })

describe('update batches are applied in id order, atomically', () => {
  it('a batch out of order is sorted first: [r2, r1] applies both, [r1, r3, r2] all three', () => {
    const a = createStore({ value: { n: 0 } as JsonValue })
    expect(a.update([rev(2), rev(1)])).toEqual({ status: 'applied', revision: 2 })
    expect(a.get()).toEqual({ n: 2 })
    expect(a.log().map((e) => e.id)).toEqual([1, 2])
    const b = createStore({ value: { n: 0 } as JsonValue })
    expect(b.update([rev(1), rev(3), rev(2)])).toEqual({ status: 'applied', revision: 3 })
    expect(b.get()).toEqual({ n: 3 })
    expect(b.log().map((e) => e.id)).toEqual([1, 2, 3])
  })

  it('equal ids in a batch count once (the first given), and watchers see each revision once', () => {
    const store = createStore({ value: { n: 0 } as JsonValue })
    const seen: number[] = []
    store.subscribe((r) => seen.push(r.id))
    expect(store.update([rev(2, 20), rev(1, 10), rev(2, 99), rev(1, 98)])).toEqual({ status: 'applied', revision: 2 })
    expect(store.get()).toEqual({ n: 20 })
    expect(seen).toEqual([1, 2])
  })

  it('a failing message in the middle applies nothing of the batch and the error names the message', () => {
    const store = createStore({ value: { n: 0 } as JsonValue })
    const before = store.get()
    let calls = 0
    store.subscribe(() => calls++)
    const bad: Revision = { id: 2, patch: [{ op: 'remove', path: '/missing' }] }
    let error: unknown
    try {
      store.update([rev(1), bad, rev(3)])
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(PatchError)
    expect((error as PatchError).code).toBe('PATH_NOT_FOUND')
    expect((error as PatchError).message).toMatch(/update message 1 \(id 2\)/)
    expect((error as PatchError).index).toBe(0)
    expect(store.get()).toBe(before)
    expect(store.revision).toBe(0)
    expect(store.log()).toEqual([])
    expect(calls).toBe(0)
    // a bad message anywhere in the batch is refused before anything is applied
    expect(() => store.update([rev(1), { id: 2 } as never])).toThrow(expect.objectContaining({ code: 'ARGUMENT_INVALID' }))
    expect(store.revision).toBe(0)
  })

  it('a gap stops the batch after what fits and says which id is needed', () => {
    const store = createStore({ value: { n: 0 } as JsonValue })
    expect(store.update([rev(5), rev(1), rev(2)])).toEqual({ status: 'gap', revision: 2, expected: 3 })
    expect(store.get()).toEqual({ n: 2 })
  })

  it('a dump in a batch jumps, and revisions after it apply on top', () => {
    const store = createStore({ value: { n: 0 } as JsonValue })
    expect(store.update([rev(11), { id: 10, value: { n: 10, d: true } }, rev(1)])).toEqual({ status: 'applied', revision: 11 })
    expect(store.get()).toEqual({ n: 11, d: true })
  })
})

describe('a dump with the current id', () => {
  it('is a duplicate when deep-equal: nothing changes, nobody is called', () => {
    const store = createStore({ value: { a: { b: [1] }, n: 0 } as JsonValue })
    store.update(rev(1, 1))
    const before = store.get()
    let calls = 0
    store.subscribe(() => calls++)
    expect(store.update({ id: 1, value: JSON.parse(JSON.stringify(before)) })).toEqual({ status: 'duplicate', revision: 1 })
    expect(store.get()).toBe(before)
    expect(calls).toBe(0)
  })

  it('is stale (refused) when it differs: the document never changes under an unchanged id', () => {
    const store = createStore({ id: 4, value: { a: 1 } as JsonValue })
    const before = store.get()
    let calls = 0
    store.subscribe(() => calls++)
    store.watch('/a' as never, () => calls++)
    expect(store.update({ id: 4, value: { a: 2 } })).toEqual({ status: 'stale', revision: 4 })
    expect(store.get()).toBe(before)
    expect(store.log()).toEqual([])
    expect(calls).toBe(0)
    // an older dump is stale too; a newer one applies
    expect(store.update({ id: 3, value: { a: 3 } }).status).toBe('stale')
    expect(store.update({ id: 5, value: { a: 5 } })).toEqual({ status: 'applied', revision: 5 })
    expect(calls).toBe(2)
  })
})

describe("a server revision whose id a local write took is 'diverged', never 'duplicate'", () => {
  it("update after local writes reports 'diverged' and applies nothing", () => {
    const store = createStore({ value: { n: 0, mine: 0 } as JsonValue })
    store.set('/mine' as never, 1 as never) // local revision 1
    const before = store.get()
    expect(store.update(rev(1, 42))).toEqual({ status: 'diverged', revision: 1 })
    expect(store.get()).toBe(before)
    // the whole batch is refused: what follows was built on the server's revision 1
    expect(store.update([rev(1, 42), rev(2, 43)])).toEqual({ status: 'diverged', revision: 1 })
    expect(store.get()).toBe(before)
  })

  it('revisions the store got from the server stay duplicates, also after local writes', () => {
    const store = createStore({ value: { n: 0, mine: 0 } as JsonValue })
    expect(store.update([rev(1), rev(2)]).status).toBe('applied')
    store.set('/mine' as never, 1 as never) // local revision 3
    expect(store.update(rev(2, 99))).toEqual({ status: 'duplicate', revision: 3 })
    expect(store.update(rev(3, 99))).toEqual({ status: 'diverged', revision: 3 })
    expect(store.get()).toEqual({ n: 2, mine: 1 })
  })

  it('a store built from a dump counts that id as the server\'s', () => {
    const store = createStore({ id: 7, value: { n: 7 } as JsonValue })
    expect(store.update(rev(7, 0)).status).toBe('duplicate')
    store.transact((tx) => tx.set('/n' as never, 8 as never)) // local 8
    expect(store.update(rev(8)).status).toBe('diverged')
    // a newer dump from the server replaces the local state
    expect(store.update({ id: 9, value: { n: 9 } })).toEqual({ status: 'applied', revision: 9 })
    expect(store.update(rev(9, 0)).status).toBe('duplicate')
    expect(store.update(rev(10)).status).toBe('applied')
  })
})
