import { createContext, createElement, useContext, useMemo, useSyncExternalStore, type ReactNode } from 'react'
import { createUndoManager, toPointer, type JsonValue, type Path, type Store, type UndoManager, type UndoResult, type UndoState } from 'patchdb'
import { PatchContext } from './context'

const UndoContext = createContext<UndoManager | null>(null)

/** Hands a configured manager (`createUndoManager(store, { describe, merge, ... })`) to `useUndo()` below. */
export function UndoProvider(props: { manager: UndoManager; children?: ReactNode }): ReactNode {
  return createElement(UndoContext.Provider, { value: props.manager }, props.children)
}

export interface UndoControls extends UndoState {
  undo(): UndoResult
  redo(): UndoResult
  readonly manager: UndoManager
}

/**
 * One manager per store and scope for `useUndo(scope)`, shared by every component that asks
 * for it, and kept as long as the store (a WeakMap on the store): unmounting a toolbar does
 * not lose the history.
 */
const shared = new WeakMap<Store<JsonValue>, Map<string, UndoManager>>()

function sharedManager(store: Store<JsonValue>, scope: string | readonly Path[]): UndoManager {
  const pointers = (typeof scope === 'string' ? [scope] : scope.map(toPointer)).slice().sort()
  const key = JSON.stringify(pointers)
  let managers = shared.get(store)
  if (!managers) shared.set(store, (managers = new Map()))
  let manager = managers.get(key)
  if (!manager) managers.set(key, (manager = createUndoManager(store, { scope: pointers })))
  return manager
}

const isManager = (v: unknown): v is UndoManager => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * `{ undo, redo, canUndo, canRedo, undoLabel, redoLabel }`; re-renders only when one of the
 * flags or labels changes. The manager is:
 * - `useUndo(manager)`: that one;
 * - `useUndo()`: the nearest `<UndoProvider>`'s, else the store's shared whole-document one;
 * - `useUndo('/todos')` or `useUndo(['/a', '/b'])`: the store's shared one for that scope.
 * Shared managers belong to the store of the nearest `<PatchProvider>` and use the default
 * options; give a provider or a manager for labels, merging or a limit.
 */
export function useUndo(scope?: string | readonly Path[] | UndoManager): UndoControls {
  const provided = useContext(UndoContext)
  const binding = useContext(PatchContext)
  let manager: UndoManager
  if (isManager(scope)) manager = scope
  else if (scope === undefined && provided) manager = provided
  else if (!binding) throw new Error('patchdb/react: useUndo needs a <PatchProvider>, an <UndoProvider> or a manager')
  else manager = sharedManager(binding.store, scope ?? '')
  const [subscribe, get] = useMemo(() => [(fn: () => void) => manager.subscribe(fn), () => manager.state()] as const, [manager])
  const state = useSyncExternalStore(subscribe, get, get)
  return useMemo(() => ({ ...state, undo: () => manager.undo(), redo: () => manager.redo(), manager }), [state, manager])
}
