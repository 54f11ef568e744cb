import type { ReduxDevtoolsConnect, ReduxDevtoolsConnectOptions } from 'patchdb/devtools'

/** What a monitor holds of one store, as Redux DevTools' app keeps it (app-core's instances reducer). */
export interface MonitorModel {
  stagedActionIds: number[]
  actionsById: Record<number, { action: { type: string; patch?: unknown[]; revision?: number } }>
  computedStates: { state: unknown; error?: string }[]
  skippedActionIds: number[]
  currentStateIndex: number
  nextActionId: number
  committedState?: unknown
  isLocked?: boolean
  isPaused?: boolean
}

/**
 * A recording stand-in for Redux DevTools' connect() (the extension's API is the boundary):
 * it keeps what was sent, and a model of the monitor updated as the app does (an action is
 * appended and folds past maxAge; a lifted state replaces the history; a jump moves the
 * current index before the app is told). Messages cross as JSON, as they do in the extension.
 */
export function fakeReduxDevtools() {
  const options: ReduxDevtoolsConnectOptions[] = []
  const actions: { action: { type: string; patch: unknown[]; revision: number; origin: string }; state: unknown }[] = []
  const histories: MonitorModel[] = []
  const errors: string[] = []
  let listener: ((m: unknown) => void) | null = null
  let unsubscribed = 0
  let monitor: MonitorModel | null = null
  const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

  const connect: ReduxDevtoolsConnect = (o) => {
    options.push(json(o))
    return {
      init(state) {
        monitor = { stagedActionIds: [0], actionsById: { 0: { action: { type: '@@INIT' } } }, computedStates: [{ state: json(state) }], skippedActionIds: [], currentStateIndex: 0, nextActionId: 1 }
      },
      send(action, state) {
        if (action === null) {
          const lifted = json(state) as MonitorModel
          histories.push(lifted)
          monitor = json(lifted)
          return
        }
        const sent = json({ action, state }) as (typeof actions)[number]
        actions.push(sent)
        const m = monitor!
        const id = m.nextActionId++
        if (m.currentStateIndex === m.stagedActionIds.length - 1) m.currentStateIndex++
        m.stagedActionIds.push(id)
        m.actionsById[id] = { action: sent.action }
        m.computedStates.push({ state: sent.state })
        // app-core's commitExcessActions (without its stop at an error, which the bridge never folds past either)
        const excess = m.stagedActionIds.length - o.maxAge
        if (excess > 0) {
          const gone = m.stagedActionIds.splice(1, excess)
          for (const g of gone) delete m.actionsById[g]
          m.skippedActionIds = m.skippedActionIds.filter((s) => !gone.includes(s))
          m.committedState = m.computedStates[excess]!.state
          m.computedStates.splice(0, excess)
          m.currentStateIndex = Math.max(0, m.currentStateIndex - excess)
        }
      },
      subscribe(fn) {
        listener = fn
        return () => void (listener = null)
      },
      unsubscribe() {
        unsubscribed++
        listener = null
      },
      error(message) {
        errors.push(message)
      },
    }
  }

  /** The monitor sends a command, as the app does: a jump moves its own index first; `state` is whatever it computed. */
  const dispatch = (payload: Record<string, unknown>, state: unknown = 'the monitor’s state') => {
    const m = monitor!
    if (payload.type === 'JUMP_TO_STATE') m.currentStateIndex = payload.index as number
    if (payload.type === 'JUMP_TO_ACTION') m.currentStateIndex = m.stagedActionIds.indexOf(payload.actionId as number)
    listener?.(json({ type: 'DISPATCH', payload, state }))
  }

  return {
    connect,
    options,
    actions,
    histories,
    errors,
    dispatch,
    /** Any message, as it arrives from the extension. */
    post: (message: unknown) => listener?.(message),
    get connected() {
      return listener !== null
    },
    get unsubscribed() {
      return unsubscribed
    },
    get monitor(): MonitorModel {
      return monitor!
    },
    /** The state the monitor shows as current. */
    shown: () => monitor!.computedStates[monitor!.currentStateIndex]?.state,
    /** The action id the monitor lists at `index` (0: the initial state). */
    actionAt: (index: number) => monitor!.stagedActionIds[index]!,
    /** The monitor's action ids whose action type is `type`. */
    idOf: (type: string) => monitor!.stagedActionIds.find((id) => monitor!.actionsById[id]?.action.type === type)!,
  }
}
