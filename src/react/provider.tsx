import { useMemo, useState, type ReactNode } from 'react'
import { createStore, type Dump, type JsonValue, type Store, type StoreOptions } from 'patchdb'
import { PatchContext } from './context'
import { serverSnapshot } from './server-snapshot'

export type PatchProviderProps<T> = { children?: ReactNode } & (
  | { store: Store<T>; dump?: never; options?: never }
  /** A dump rendered by a server: the provider creates its store from it, once. */
  | { dump: Dump<T>; options?: StoreOptions; store?: never }
)

/** Makes a store available to the hooks below it: `<PatchProvider store={store}>` or `dump={dump}`. */
export function PatchProvider<T>(props: PatchProviderProps<T>): ReactNode {
  const [own] = useState(() => (props.store ? null : createStore<T>(props.dump, props.options)))
  const store = (props.store ?? own!) as unknown as Store<JsonValue>
  const binding = useMemo(() => ({ store, server: serverSnapshot(store) }), [store])
  return <PatchContext.Provider value={binding}>{props.children}</PatchContext.Provider>
}
