import type { ReactNode } from 'react'
import type { At, JsonCompatible, NotJson, Patch, Path, PathOf, ReadonlyDeep, Revision, Store, ValueAt, WatchOptions } from 'patchdb'
import { useApply, usePatch, usePatchSelector, useRevision, useSet, useStore } from './hooks'
import { PatchProvider, type PatchProviderProps } from './provider'

/**
 * The hooks, typed by the app's document type `T`: invalid pointers are type errors.
 * `const` type parameters keep tuple literals (`['todos', 0]`) precise without `as const`.
 */
export interface PatchHooks<T> {
  PatchProvider(props: PatchProviderProps<T>): ReactNode
  useStore(): Store<T>
  usePatch<const P extends Path>(path: P & PathOf<T, P>, options?: WatchOptions): ReadonlyDeep<At<T, P>>
  usePatchSelector<const P extends Path, S>(
    path: P & PathOf<T, P>,
    selector: (value: ReadonlyDeep<At<T, P>>) => S,
    isEqual?: (a: S, b: S) => boolean,
    options?: WatchOptions,
  ): S
  useApply(): (patch: Patch) => Revision | null
  useSet(): <const P extends Path, V = never>(path: P & PathOf<T, P, true>, value: ValueAt<T, P, V>) => Revision | null
  useRevision(): number
}

/** `PatchHooks<T>`, or an error when the document type holds something JSON cannot (a Date, a function...). */
export type HooksFor<T> = [T] extends [JsonCompatible<T>]
  ? PatchHooks<T>
  : NotJson<'the document type: JsonCompatible<T> shows which parts are not JSON'>

/**
 * `const { usePatch, useSet } = createPatchHooks<AppState>()`, once per app. The hooks are
 * the plain ones (one context, no runtime cost); only their types change.
 */
export function createPatchHooks<T>(): HooksFor<T> {
  return { PatchProvider, useStore, usePatch, usePatchSelector, useApply, useSet, useRevision } as unknown as HooksFor<T>
}
