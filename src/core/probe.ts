import { PatchError } from './errors'
import type { LogEntry } from './history'
import type { Dump, Patch, Revision } from './patch'
import type { LabelSummary } from './watchers'

/*
 * What devtools attach to a store. A store holds one probe or none; with none, each
 * commit and dispatch costs one null check, so apps that never load devtools pay nothing.
 * The probe lives on the store under a symbol of this module, not on the Store interface:
 * it is for `patchdb/devtools`, not for apps.
 */

/**
 * Watchers a dispatch called, flat: a watched pointer, how many of its watchers ran, and
 * the labels of that pointer's watchers (`store.watch(path, fn, { label })`: label, count,
 * ...; a frozen summary kept across dispatches, null when none is labelled), for each
 * pointer called. The store fills one array for every dispatch, so recording allocates
 * nothing per revision: a probe that keeps the counts copies them.
 */
export type CallCounts = readonly (string | number | LabelSummary | null)[]

/** The clock dispatches are timed with: ms since `clockOrigin`, a Date.now() value. */
const clock = globalThis.performance
export const now: () => number = clock ? () => clock.now() : Date.now
export const clockOrigin: number = clock?.timeOrigin ?? 0

export interface StoreProbe {
  /** Each committed revision (its inverse, origin and label), before its watchers run. */
  committed(entry: LogEntry, stack: string | undefined): void
  /**
   * After a revision's dispatch: the watchers it called (the first `count` items of
   * `calls`, valid during this call only), when it began (a Date.now() value, from the
   * clock that timed it: one clock read fewer per revision) and how long it took, in ms.
   */
  dispatched(id: number, calls: CallCounts, count: number, time: number, ms: number): void
  /** Capture a stack trace for each local write (development: where a write came from). */
  readonly stacks: boolean
}

export interface StoreControl {
  /**
   * Shows `view` to readers (get, dump, observe, watchers, subscribers) instead of the
   * store's document, or the document again with `null`. Watchers are told as for a
   * revision, with the diff between what they saw and what they now see, scoped as usual.
   * Nothing is written. While a view is shown, writes are refused (`TIME_TRAVEL`);
   * `update()` still applies (its watchers are told when the view is lifted).
   */
  show(view: Dump | null): void
  /** Applies `patch` as one local revision, also while a view is shown: devtools' own writes. */
  write(patch: Patch, label: string): Revision | null
  /** Lifts any view and removes the probe. */
  detach(): void
}

/** The store's method that attaches a probe (see attachProbe). */
export const PROBE = Symbol('patchdb.probe')

interface Probed {
  [PROBE]?: (probe: StoreProbe) => StoreControl
}

/**
 * Attaches a probe to a store made by this copy of patchdb (or a persistence layer's
 * wrapper of one). One at a time: a second is refused until the first detaches.
 */
export function attachProbe(store: object, probe: StoreProbe): StoreControl {
  const attach = (store as Probed)[PROBE]
  if (typeof attach !== 'function') throw new PatchError('ARGUMENT_INVALID', 'not a patchdb store (or one made by another copy of patchdb)')
  return attach.call(store, probe)
}

/** Travel revisions, and whether a view is shown after each (false: back to live). */
const travels = new WeakMap<Revision, boolean>()

/** Marks the revision a view change is dispatched with (see isTravel); `viewing` when a view is shown after it. */
export function markTravel(revision: Revision, viewing: boolean): Revision {
  travels.set(revision, viewing)
  return revision
}

/**
 * True for the revision subscribers receive when devtools move what readers see (a jump,
 * live()): the document shown changed, but nothing was written. What records writes (an
 * undo manager) skips these.
 */
export const isTravel = (revision: Revision): boolean => travels.has(revision)

/** True for a travel revision after which devtools show a view: writes are refused until the next one (back to live). */
export const showsView = (revision: Revision): boolean => travels.get(revision) === true

/** Where a write was made, for devtools: the stack without this frame. */
export function captureStack(): string | undefined {
  const stack = new Error().stack
  return stack?.split('\n').slice(3).join('\n')
}
