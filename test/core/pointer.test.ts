import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatPointer, isAncestor, isDescendant, isSibling, parsePointer, PatchError, toPointer, toSegments } from 'patchdb'

describe('pointers (RFC 6901)', () => {
  it('parses the RFC examples, unescaping ~1 before ~0', () => {
    expect(parsePointer('')).toEqual([])
    expect(parsePointer('/')).toEqual([''])
    expect(parsePointer('/foo/0')).toEqual(['foo', '0'])
    expect(parsePointer('/a~1b')).toEqual(['a/b'])
    expect(parsePointer('/m~0n')).toEqual(['m~n'])
    expect(parsePointer('/~01')).toEqual(['~1'])
    expect(parsePointer('/ ')).toEqual([' '])
  })

  it('refuses what is not a pointer', () => {
    for (const bad of ['a', 'a/b', '/~', '/~2', '/a~']) expect(() => parsePointer(bad)).toThrow(PatchError)
  })

  it('formats and parses back any segments (round trip)', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (segs) => {
        expect(parsePointer(formatPointer(segs))).toEqual(segs)
      }),
    )
  })

  it('accepts the tuple form with numbers', () => {
    expect(toSegments(['a', 'b/c', 0])).toEqual(['a', 'b/c', '0'])
    expect(toPointer(['a', 'b/c', 0])).toBe('/a/b~1c/0')
    expect(toPointer('/x')).toBe('/x')
    expect(toSegments('/a/b~1c/0')).toEqual(['a', 'b/c', '0'])
  })

  it('tells ancestors, descendants and siblings', () => {
    expect(isAncestor('', '/a')).toBe(true)
    expect(isAncestor('/a', '/a/b')).toBe(true)
    expect(isAncestor('/a', '/a')).toBe(false)
    expect(isAncestor('/a', '/ab')).toBe(false)
    expect(isDescendant(['a', 'b'], '/a')).toBe(true)
    expect(isSibling('/a/b', '/a/c')).toBe(true)
    expect(isSibling('/a/b', '/a/b')).toBe(false)
    expect(isSibling('/a/b', '/c/b')).toBe(false)
    expect(isSibling('', '')).toBe(false)
  })
})
