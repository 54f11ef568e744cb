import { useMemo, useSyncExternalStore } from 'react'
import type { Key, KeyedIndex } from 'patchdb'

/**
 * The keys of an index, in order. Re-renders only when the order or the membership
 * changes: an edit inside an item does not reach the list.
 */
export function useKeys<K extends Key>(index: KeyedIndex<unknown, K>): readonly K[] {
  return useSyncExternalStore(index.subscribe, index.keys, index.keys)
}

/**
 * The item with this key. Re-renders only when that item changes, wherever it moves: a row
 * keyed this way is not rendered by an insert, a removal or a reorder of its list.
 */
export function useItem<Item, K extends Key>(index: KeyedIndex<Item, K>, key: K): Item | undefined {
  // One memo for both (a hook less per row); React's listener ignores the item it is passed.
  const [subscribe, get] = useMemo(() => [(onChange: () => void) => index.watch(key, onChange), () => index.get(key)] as const, [index, key])
  return useSyncExternalStore(subscribe, get, get)
}
