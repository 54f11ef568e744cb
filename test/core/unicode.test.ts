import { describe, expect, it } from 'vitest'
import { applyPatch, createStore, PatchError, type JsonValue, type Patch } from 'patchdb'

const lone = '\ud83d' // half of a surrogate pair: UTF-8 (CBOR, disk, wire) cannot carry it
const lowAlone = 'a\ude00b'

describe('lone surrogates are refused: the durable stores could not give them back', () => {
  it.each([
    ['a string value', { s: lone }],
    ['a low surrogate inside a string', { s: lowAlone }],
    ['a nested string', { a: [{ b: `x${lone}` }] }],
    ['an object key', { [lone]: 1 }],
    ['a nested object key', { a: { [`k${lone}`]: 1 } }],
  ])('in %s, at every entry point, with VALUE_INVALID and nothing changed', (_, value) => {
    const store = createStore({ value: { a: 1 } as JsonValue })
    const before = store.get()
    const attempts: (() => unknown)[] = [
      () => createStore({ value }),
      () => store.apply([{ op: 'add', path: '/v', value: value as JsonValue }]),
      () => store.apply([{ op: 'replace', path: '/a', value: value as JsonValue }]),
      () => store.set('/v' as never, value as never),
      () => store.set('' as never, value as never),
      () => store.transact((tx) => tx.set('/v' as never, value as never)),
      () => store.update({ id: 1, patch: [{ op: 'add', path: '/v', value: value as JsonValue }] }),
      () => store.update({ id: 1, value: value as JsonValue }),
    ]
    for (const attempt of attempts) expect(attempt).toThrow(expect.objectContaining({ code: 'VALUE_INVALID' }))
    expect(store.get()).toBe(before)
    expect(store.revision).toBe(0)
  })

  it('in a path or from segment, with VALUE_INVALID', () => {
    const store = createStore({ value: { a: 1, o: {} } as JsonValue })
    const patches: Patch[] = [
      [{ op: 'add', path: `/${lone}`, value: 1 }],
      [{ op: 'add', path: `/o/${lone}`, value: 1 }],
      [{ op: 'copy', from: '/a', path: `/${lone}` }],
      [{ op: 'move', from: '/a', path: `/o/x${lone}` }],
      [{ op: 'move', from: `/${lone}`, path: '/b' }],
    ]
    for (const p of patches) expect(() => store.apply(p)).toThrow(expect.objectContaining({ code: 'VALUE_INVALID' }))
    expect(() => store.set(['o', lone] as never, 1 as never)).toThrow(expect.objectContaining({ code: 'VALUE_INVALID' }))
    // set of a shared shape with one new key that is not valid Unicode
    expect(() => store.set('/o' as never, { [lone]: 1 } as never)).toThrow(expect.objectContaining({ code: 'VALUE_INVALID' }))
    expect(() => applyPatch({}, [{ op: 'add', path: `/${lone}`, value: 1 }])).toThrow(PatchError)
    expect(store.revision).toBe(0)
  })

  it('well-formed pairs, emoji and every BMP character outside the surrogate range are kept exactly', () => {
    const text = '😀 é 中 \u0000 \uffff \ud83d\ude00'
    const store = createStore({ value: { [text]: text } as JsonValue })
    store.apply([{ op: 'add', path: `/${text}x`, value: [text] }])
    expect(store.get()).toEqual({ [text]: text, [`${text}x`]: [text] })
  })
})
