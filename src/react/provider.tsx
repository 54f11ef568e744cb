import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { createStore, type DocumentIn, type Dump, type JsonValue, type Store, type StoreOptions, type UpdateResult } from 'patchdb'
import { PatchContext } from './context'
import { serverSnapshot } from './server-snapshot'

export type PatchProviderProps<T> = { children?: ReactNode } & (
  | { store: Store<T>; dump?: never; options?: never; onUpdate?: never }
  | {
      /**
       * A dump rendered by a server. The provider creates its store from the first one; a
       * later dump whose id is higher than the last one it was given (a server re-render after
       * a Server Action, say) goes to `store.update(dump)`.
       */
      dump: Dump<DocumentIn<T>>
      options?: StoreOptions
      /**
       * What `store.update` made of each newer dump. Default: a `console.warn` when the
       * store refused it ('stale': the store is newer, or has local writes under that id).
       * (Method syntax: a handler declared for `Dump<T>` is accepted too.)
       */
      onUpdate?(result: UpdateResult, dump: Dump<DocumentIn<T>>): void
      store?: never
    }
)

// Layout effect in the browser, so a newer dump shows in the same paint; servers run no effects.
const useClientLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect

/** Makes a store available to the hooks below it: `<PatchProvider store={store}>` or `dump={dump}`. */
export function PatchProvider<T>(props: PatchProviderProps<T>): ReactNode {
  const [own] = useState(() => (props.store ? null : createStore<T>(props.dump, props.options)))
  const store = (props.store ?? own!) as unknown as Store<JsonValue>
  const binding = useMemo(() => ({ store, server: serverSnapshot(store) }), [store])
  useNewerDumps(own, props.dump, props.onUpdate)
  return <PatchContext.Provider value={binding}>{props.children}</PatchContext.Provider>
}

/**
 * Hands each dump prop whose id moved past the last one seen to `store.update`: the store
 * decides (an older or equal id is not applied over newer state) and the caller hears why.
 */
function useNewerDumps<T>(
  store: Store<T> | null,
  dump: Dump<DocumentIn<T>> | undefined,
  onUpdate: (result: UpdateResult, dump: Dump<DocumentIn<T>>) => void = warnUnlessApplied,
) {
  const seen = useRef(dump?.id ?? 0)
  useClientLayoutEffect(() => {
    if (!store || !dump || dump.id <= seen.current) return
    const result = store.update(dump) // a malformed dump throws here, to the nearest error boundary
    seen.current = dump.id
    onUpdate(result, dump)
  }, [store, dump, onUpdate])
}

function warnUnlessApplied(result: UpdateResult, dump: Dump<unknown>): void {
  if (result.status === 'applied' || result.status === 'duplicate') return // duplicate: the store already had it
  console.warn(
    `patchdb/react: the dump prop at revision ${dump.id} was not applied (${result.status}); the store stays at revision ${result.revision}. Pass onUpdate to <PatchProvider> to handle it.`,
  )
}
