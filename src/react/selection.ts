import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react'

/**
 * `useSyncExternalStore` over a selection of a snapshot: React's own hook (React >= 18 has
 * it), with the selector memoized per snapshot as use-sync-external-store's `with-selector`
 * does, in a few lines instead of a dependency that ships a shim for React 17 too.
 *
 * `getSnapshot` must return the same reference until the store changes (a pointer's value
 * does: structural sharing). A new selector on each render builds a new memo, but the memo
 * starts from the selection last rendered, so an inline selector returning a fresh object
 * neither loops nor re-renders while `isEqual` holds.
 */
export function useSelection<S>(
  subscribe: (onChange: () => void) => () => void,
  getSnapshot: () => unknown,
  getServerSnapshot: () => unknown,
  selector: (snapshot: unknown) => S,
  isEqual?: (a: S, b: S) => boolean,
): S {
  // The selection last committed: what a new memo compares its first selection with.
  const rendered = useRef<{ selection: S } | null>(null)
  const [get, getServer] = useMemo(() => {
    let memo: { snapshot: unknown; selection: S } | null = null
    const select = (snapshot: unknown): S => {
      if (memo !== null && Object.is(memo.snapshot, snapshot)) return memo.selection
      const next = selector(snapshot)
      const previous = memo ?? rendered.current
      const selection = previous !== null && isEqual !== undefined && isEqual(previous.selection, next) ? previous.selection : next
      memo = { snapshot, selection }
      return selection
    }
    return [() => select(getSnapshot()), () => select(getServerSnapshot())]
  }, [getSnapshot, getServerSnapshot, selector, isEqual])
  const value = useSyncExternalStore(subscribe, get, getServer)
  useEffect(() => {
    rendered.current = { selection: value }
  }, [value])
  return value
}
