import { PROBE } from './probe'
import type { Store } from './store'

/** Every method of a store: a method missing here fails to compile (the `satisfies` below). */
const METHODS = ['get', 'apply', 'set', 'transact', 'watch', 'subscribe', 'dump', 'update', 'log', 'valueAt', 'observe', 'stats'] as const
type MethodName = { [K in keyof Store]: Store[K] extends (...args: never[]) => unknown ? K : never }[keyof Store]
true satisfies Exclude<MethodName, (typeof METHODS)[number]> extends never ? true : never

/**
 * A store's API on a new object, plus `extra`: how persistence layers (patchdb/node,
 * patchdb/browser) wrap a core store. Methods are bound, `revision` stays live, and
 * `extra` (getters included) may replace any of them.
 */
export function extendStore<T, X extends object>(store: Store<T>, extra: X): Omit<Store<T>, keyof X> & X {
  const view: Record<string, unknown> = {}
  for (const m of METHODS) view[m] = (store[m] as (...args: unknown[]) => unknown).bind(store)
  Object.defineProperty(view, 'revision', { get: () => store.revision, enumerable: true })
  // Devtools attach to the wrapped store (not enumerable: no part of the API).
  const probe = (store as { [PROBE]?: unknown })[PROBE]
  if (typeof probe === 'function') Object.defineProperty(view, PROBE, { value: probe.bind(store) })
  return Object.defineProperties(view, Object.getOwnPropertyDescriptors(extra)) as Omit<Store<T>, keyof X> & X
}
