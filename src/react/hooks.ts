import { useCallback, useSyncExternalStore } from 'react'
import type { JsonCompatible, JsonValue, Patch, Path, Revision, Store, WatchOptions } from 'patchdb'
import { useBinding } from './context'
import { useSelection } from './selection'
import { usePointerSource } from './source'

/** The store of the nearest provider. */
export function useStore(): Store<JsonValue> {
  return useBinding().store
}

/**
 * The value at a pointer (`'/a/0'` or `['a', 0]`), `undefined` when missing. Re-renders only
 * when it changes. `{ label }` names this component in devtools' render attribution.
 */
export function usePatch(path: Path, options?: WatchOptions): JsonValue | undefined {
  const [subscribe, get, getServer] = usePointerSource(path, options)
  return useSyncExternalStore(subscribe, get, getServer) as JsonValue | undefined
}

/**
 * A value derived from the one at a pointer. Re-renders when the selection changes by
 * `isEqual` (default `Object.is`). The selector may be inline: selections are memoized per
 * snapshot, so a new function each render cannot loop. `{ label }` as for usePatch.
 */
export function usePatchSelector<S>(
  path: Path,
  selector: (value: JsonValue | undefined) => S,
  isEqual?: (a: S, b: S) => boolean,
  options?: WatchOptions,
): S {
  const [subscribe, get, getServer] = usePointerSource(path, options)
  return useSelection(subscribe, get, getServer, selector as (v: unknown) => S, isEqual)
}

/** A stable `store.apply`. */
export function useApply(): (patch: Patch) => Revision | null {
  const { store } = useBinding()
  return useCallback((patch: Patch) => store.apply(patch), [store])
}

/** A stable `store.set`: any JSON-shaped value, interfaces included (see `JsonCompatible`). */
export function useSet(): <V>(path: Path, value: JsonCompatible<V>) => Revision | null {
  const { store } = useBinding()
  return useCallback((path: Path, value: unknown) => store.set(path, value as JsonValue), [store])
}

/** The store's revision id; re-renders on every revision. */
export function useRevision(): number {
  const { store, server } = useBinding()
  const subscribe = useCallback((onChange: () => void) => store.subscribe(() => onChange()), [store])
  return useSyncExternalStore(subscribe, () => store.revision, () => server.revision)
}
