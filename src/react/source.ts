import { useMemo } from 'react'
import { toPointer, type Path } from 'patchdb'
import { useBinding } from './context'

export type Source = readonly [subscribe: (onChange: () => void) => () => void, get: () => unknown, getServer: () => unknown]

/**
 * The useSyncExternalStore triple for one pointer. `watch` calls back only when the value
 * at the pointer changed, so untouched components are never even asked; `get` returns the
 * same reference until then (structural sharing), so snapshots are stable. Keyed by the
 * pointer string, so an inline tuple does not resubscribe on every render.
 */
export function usePointerSource(path: Path): Source {
  const { store, server } = useBinding()
  const pointer = toPointer(path)
  return useMemo(
    () => [(onChange) => store.watch(pointer, () => onChange()), () => store.get(pointer), () => server.get(pointer)],
    [store, server, pointer],
  )
}
