import { createContext, useContext } from 'react'
import type { JsonValue, Store } from 'patchdb'
import type { ServerSnapshot } from './server-snapshot'

/** What a provider hands down: the live store and the values the server rendered. */
export interface Binding {
  readonly store: Store<JsonValue>
  readonly server: ServerSnapshot
}

export const PatchContext = createContext<Binding | null>(null)

export function useBinding(): Binding {
  const binding = useContext(PatchContext)
  if (!binding) throw new Error('patchdb/react: wrap the tree in <PatchProvider store={store}> or <PatchProvider dump={dump}>')
  return binding
}
