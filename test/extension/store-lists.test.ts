import { describe, expect, it } from 'vitest'
import { documentKey, MAX_NAME_LENGTH, MAX_STORES, readStoreNames, storesOfTab } from '../../devtools/src/store-lists'

describe("the extension's store lists", () => {
  it('a store list is an array of distinct, non-empty, short strings, and not too many', () => {
    expect(readStoreNames(['app', 'cart'])).toEqual(['app', 'cart'])
    expect(readStoreNames([])).toEqual([])
    for (const bad of [null, 'app', [1], [''], ['a', 'a'], ['x'.repeat(MAX_NAME_LENGTH + 1)], Array.from({ length: MAX_STORES + 1 }, (_, i) => `s${i}`), [{ toString: () => 'app' }]]) {
      expect(readStoreNames(bad), JSON.stringify(bad)).toBeNull()
    }
  })

  it("a tab's stores come from its own documents' records only, top frame first, malformed records skipped", () => {
    const records = {
      [documentKey(7, 3, 'D3')]: { frameId: 3, documentId: 'D3', url: 'https://a/frame', names: ['inner'] },
      [documentKey(7, 0, 'D0')]: { frameId: 0, documentId: 'D0', url: 'https://a/', names: ['app', 'cart'] },
      [documentKey(8, 0, 'E0')]: { frameId: 0, documentId: 'E0', url: 'https://b/', names: ['other tab'] },
      [documentKey(7, 4, 'D4')]: { frameId: 4, documentId: 'D4', url: 'https://a/bad', names: [42] },
      [documentKey(70, 0, 'F0')]: { frameId: 0, documentId: 'F0', url: 'https://c/', names: ['tab 70 is not tab 7'] },
      unrelated: { names: ['x'] },
    }
    expect(storesOfTab(records, 7)).toEqual([
      { name: 'app', frameId: 0, documentId: 'D0', url: 'https://a/' },
      { name: 'cart', frameId: 0, documentId: 'D0', url: 'https://a/' },
      { name: 'inner', frameId: 3, documentId: 'D3', url: 'https://a/frame' },
    ])
  })
})
