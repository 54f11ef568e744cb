import { applyPatch, type Dump, type JsonValue, type Patch } from 'patchdb'
import type { EntryMessage, EntryOrigin, ExportedLog, StatusFields } from './protocol'
import { summarize } from './panel/summary'
import { invalid, isRecord, isWhole } from './validate'

/*
 * Redux DevTools' model of a history (its "lifted state", from @redux-devtools/instrument)
 * and patchdb's inspector entries, each way. Action ids are the monitor's: 0 is the
 * initial state (the inspector's base), the others are given to entries as they are sent.
 */

/** A revision as the monitor shows it: its label (or a summary of its patch) as the type, the patch in it. */
export interface ReduxAction {
  readonly type: string
  readonly revision: number
  readonly origin: EntryOrigin
  readonly patch: Patch
}

export const reduxAction = (e: EntryMessage): ReduxAction => ({ type: summarize(e.patch, e.label), revision: e.id, origin: e.origin, patch: e.patch })

interface PerformAction {
  readonly type: 'PERFORM_ACTION'
  readonly action: ReduxAction | { readonly type: '@@INIT' }
  readonly timestamp: number
}

export interface LiftedState {
  readonly actionsById: Record<number, PerformAction>
  readonly computedStates: readonly { readonly state: JsonValue; readonly error?: string }[]
  readonly committedState: JsonValue
  readonly currentStateIndex: number
  readonly nextActionId: number
  readonly skippedActionIds: readonly number[]
  readonly stagedActionIds: readonly number[]
  readonly isLocked: boolean
  readonly isPaused: boolean
}

/**
 * The lifted state of an inspector's list: every entry's document, replayed from the base
 * (a skipped entry repeats the document before it, as Redux's do; one in error also carries
 * its message). Whole states per action: this is what Redux DevTools reads.
 */
export function liftedState(
  base: Dump,
  entries: readonly EntryMessage[],
  actionIds: readonly number[],
  nextActionId: number,
  status: StatusFields,
  locked: boolean,
): LiftedState {
  const actionsById: Record<number, PerformAction> = { 0: { type: 'PERFORM_ACTION', action: { type: '@@INIT' }, timestamp: 0 } }
  let doc = base.value as JsonValue
  const computedStates: { state: JsonValue; error?: string }[] = [{ state: doc }]
  const skippedActionIds: number[] = []
  // The head unless a view is shown: the base's, or an entry's.
  let currentStateIndex = status.viewing === base.id ? 0 : entries.length
  entries.forEach((e, i) => {
    const id = actionIds[i]!
    actionsById[id] = { type: 'PERFORM_ACTION', action: reduxAction(e), timestamp: e.time }
    if (e.skipped) skippedActionIds.push(id)
    else if (e.error === undefined) doc = applyPatch(doc, e.patch).value as JsonValue
    computedStates.push(e.error === undefined ? { state: doc } : { state: doc, error: e.error.message })
    if (e.id === status.viewing) currentStateIndex = i + 1
  })
  return {
    actionsById,
    computedStates,
    committedState: base.value as JsonValue,
    currentStateIndex,
    nextActionId,
    skippedActionIds,
    stagedActionIds: [0, ...actionIds],
    isLocked: locked,
    isPaused: status.paused,
  }
}

/** An import has at most this many actions and patch operations in all: a bigger one is refused before it is read. */
export const MAX_IMPORT_ACTIONS = 100_000
export const MAX_IMPORT_OPERATIONS = 1_000_000

/**
 * A monitor's IMPORT_STATE as an exported log for `inspector.import`, which validates every
 * value and patch. Either form Redux DevTools sends: a lifted state (its base is
 * `committedState`, else its first computed state; its revisions the staged actions after
 * the first) or an array of actions
 * with `preloadedState` as the base. Only actions that carry a patch (those this bridge sent)
 * can be imported; the monitor's computed states are never read: the documents are replayed
 * from the base and the patches, so a forged state cannot reach the store. Revisions are
 * numbered from 1 after a base of 0, in the monitor's order.
 */
export function readLiftedImport(payload: Record<string, unknown>): ExportedLog {
  const next = payload.nextLiftedState
  let base: unknown
  let actions: { action: unknown; time: unknown; skipped: boolean }[]
  if (Array.isArray(next)) {
    base = payload.preloadedState
    if (base === undefined) throw invalid('an import of actions alone needs its preloadedState')
    bound(next.length)
    actions = next.map((action) => ({ action, time: 0, skipped: false }))
  } else if (isRecord(next)) {
    const { actionsById, stagedActionIds: staged, skippedActionIds: skippedIds, committedState, computedStates } = next
    if (!Array.isArray(staged) || !isRecord(actionsById)) throw invalid('a lifted state has stagedActionIds (an array) and actionsById (an object)')
    bound(staged.length - 1)
    const skipped = new Set(Array.isArray(skippedIds) ? skippedIds : [])
    actions = staged.slice(1).map((id: unknown, i) => {
      const lifted = isWhole(id) && Object.hasOwn(actionsById, id) ? actionsById[id] : undefined
      if (!isRecord(lifted)) throw invalid(`stagedActionIds[${i + 1}] names no action of actionsById`)
      return { action: lifted.action, time: lifted.timestamp, skipped: skipped.has(id) }
    })
    // The monitor keeps no committedState until one is sent: then the first computed state is the base.
    const first = Array.isArray(computedStates) && isRecord(computedStates[0]) ? computedStates[0].state : undefined
    base = committedState === undefined ? first : committedState
    if (base === undefined) throw invalid('a lifted state has its committedState or a first computed state (the base document)')
  } else {
    throw invalid('nextLiftedState is a lifted state or an array of actions')
  }
  let operations = 0
  const revisions = actions.map(({ action, time, skipped }, i) => {
    if (!isRecord(action) || !Array.isArray(action.patch)) throw invalid(`action ${i + 1} carries no patch: only what this bridge sent can be imported`)
    operations += action.patch.length
    if (operations > MAX_IMPORT_OPERATIONS) throw invalid(`an import holds at most ${MAX_IMPORT_OPERATIONS} patch operations`)
    const origin = action.origin === undefined ? 'local' : action.origin
    return { id: i + 1, patch: action.patch as Patch, time: isWhole(time) ? time : 0, origin: origin as EntryOrigin, label: action.type as string, skipped }
  })
  return { format: 'patchdb-log', version: 1, base: { id: 0, value: base as JsonValue }, revisions }
}

function bound(actions: number): void {
  if (actions > MAX_IMPORT_ACTIONS) throw invalid(`an import holds at most ${MAX_IMPORT_ACTIONS} actions, got ${actions}`)
}
