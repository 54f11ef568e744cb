import { describe, expect, it } from 'vitest'
import { createStore, parsePointer, PatchError, pointerCacheStats } from 'patchdb'

describe('rule 10, bounded input: the cache of parsed pointers is bounded by size', () => {
  it('stays under its bound after 2,000 failed patches with distinct 100,000-character pointers', () => {
    const store = createStore({ value: { a: 1 } })
    const before = pointerCacheStats().size
    const long = '/' + 'x'.repeat(100_000)
    for (let i = 0; i < 2000; i++) {
      expect(() => store.apply([{ op: 'remove', path: `${long}${i}` }])).toThrow(PatchError)
    }
    const { size, maxSize } = pointerCacheStats()
    expect(size).toBeLessThanOrEqual(maxSize)
    expect(maxSize).toBeLessThanOrEqual(2_000_000)
    // None of those pointers was kept: one alone would add 100,000.
    expect(size).toBeLessThan(before + 1000)
  })

  it('stays under its bound after 50,000 get() calls with distinct pointers of up to 1,000 characters', () => {
    const store = createStore()
    let misses = 0
    for (let i = 0; i < 50_000; i++) if (store.get(`/missing/${'k'.repeat(i % 990)}${i}`) === undefined) misses++
    expect(misses).toBe(50_000)
    const { size, maxSize, entries } = pointerCacheStats()
    expect(size).toBeLessThanOrEqual(maxSize)
    expect(entries).toBeLessThan(50_000 / 10)
  })

  it('keeps serving pointers in use through a flood of one-off pointers', () => {
    const hot = parsePointer('/rows/7/value')
    for (let i = 0; i < 60_000; i++) {
      parsePointer(`/flood/${i}`)
      if (i % 500 === 0) expect(parsePointer('/rows/7/value')).toBe(hot) // the same frozen array: a cache hit
    }
    expect(parsePointer('/rows/7/value')).toBe(hot)
    expect(hot).toEqual(['rows', '7', 'value'])
  })

  it('parses long pointers each time, correctly, without keeping them', () => {
    const before = pointerCacheStats().size
    const key = 'k'.repeat(5000)
    const first = parsePointer(`/${key}/a~1b`)
    expect(first).toEqual([key, 'a/b'])
    expect(parsePointer(`/${key}/a~1b`)).not.toBe(first)
    expect(Object.isFrozen(first)).toBe(true)
    expect(pointerCacheStats().size).toBeLessThanOrEqual(Math.max(before, pointerCacheStats().maxSize))
  })
})
