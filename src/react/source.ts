import { useMemo } from 'react'
import { toPointer, type Path, type WatchOptions } from 'patchdb'
import { useBinding } from './context'

export type Source = readonly [subscribe: (onChange: () => void) => () => void, get: () => unknown, getServer: () => unknown]

/**
 * The useSyncExternalStore triple for one pointer. `watch` calls back only when the value
 * at the pointer changed, so untouched components are never even asked; `get` returns the
 * same reference until then (structural sharing), so snapshots are stable. Keyed by the
 * pointer string (and label), so an inline tuple or options object does not resubscribe on
 * every render. The label names the watcher in devtools' render attribution.
 */
export function usePointerSource(path: Path, options?: WatchOptions): Source {
  const { store, server } = useBinding()
  const pointer = toPointer(path)
  const label = options?.label
  return useMemo(
    () => [
      (onChange) => store.watch(pointer, () => onChange(), label === undefined ? undefined : { label }),
      () => store.get(pointer),
      () => server.get(pointer),
    ],
    [store, server, pointer, label],
  )
}
