import { PatchError, type Dump, type Store } from 'patchdb'
import { createInspector, type Inspector } from './inspector'
import type { EntryMessage, InspectorMessage } from './protocol'
import { liftedState, readLiftedImport, reduxAction } from './redux-lifted-state'
import { errorFields, invalid, isRecord, isWhole } from './validate'

/** What Redux DevTools' `connect()` returns: `window.__REDUX_DEVTOOLS_EXTENSION__.connect(...)`, or any with the same API. */
export interface ReduxDevtoolsConnection {
  init(state: unknown, liftedState?: unknown): void
  /** An action and the state after it; `null` and a lifted state replace the monitor's whole history. */
  send(action: unknown, state: unknown): void
  /** The monitor's messages; returns unsubscribe. */
  subscribe(listener: (message: unknown) => void): unknown
  unsubscribe(): void
  /** Shows an error in the monitor. */
  error?(message: string): void
}

/** What the monitor may offer for this store (Redux DevTools' `features`). */
export interface ReduxDevtoolsFeatures {
  readonly pause: boolean
  readonly lock: boolean
  readonly persist: boolean
  readonly export: boolean
  readonly import: 'custom'
  readonly jump: boolean
  readonly skip: boolean
  readonly reorder: boolean
  readonly dispatch: boolean
  readonly test: boolean
}

export interface ReduxDevtoolsConnectOptions {
  readonly name: string
  readonly features: ReduxDevtoolsFeatures
  /** The monitor keeps this many states: the base and `limit` revisions, as the inspector does. */
  readonly maxAge: number
}

export type ReduxDevtoolsConnect = (options: ReduxDevtoolsConnectOptions) => ReduxDevtoolsConnection

export interface ConnectReduxDevtoolsOptions {
  /** Names the store in the monitor. Default 'store'. */
  name?: string
  /** Default: the Redux DevTools extension's (`window.__REDUX_DEVTOOLS_EXTENSION__.connect`). */
  connect?: ReduxDevtoolsConnect
  /** Revisions kept (older ones fold into the base). Default 50, Redux DevTools' `maxAge`: each message to the monitor holds every state. */
  limit?: number
}

/** Every monitor command is handled; a custom dispatch (a Redux action typed in the monitor) and persistence across reloads are not. */
export const REDUX_DEVTOOLS_FEATURES: ReduxDevtoolsFeatures = {
  pause: true,
  lock: true,
  persist: false,
  export: true,
  import: 'custom',
  jump: true,
  skip: true,
  reorder: true,
  dispatch: false,
  test: false,
}

/**
 * Shows a store's revisions in Redux DevTools and lets its monitor travel, skip, reorder,
 * commit, reset and import them, through an inspector. Without the extension (and no
 * `connect`) nothing is attached: the returned stop does nothing. Returns stop(), which
 * detaches and lifts any travel.
 */
export function connectReduxDevtools(store: Store<any>, options: ConnectReduxDevtoolsOptions = {}): () => void {
  if (typeof options !== 'object' || options === null) throw new PatchError('ARGUMENT_INVALID', 'connectReduxDevtools options are an object')
  const connect = options.connect ?? extensionConnect()
  if (connect === undefined) return () => {}
  if (typeof connect !== 'function') throw new PatchError('ARGUMENT_INVALID', 'connect is a function (Redux DevTools’ connect API)')
  const bridge = new ReduxDevtoolsBridge(store, connect, options.name ?? 'store', options.limit ?? 50)
  return () => bridge.stop()
}

function extensionConnect(): ReduxDevtoolsConnect | undefined {
  const extension = (globalThis as { __REDUX_DEVTOOLS_EXTENSION__?: { connect?: unknown } }).__REDUX_DEVTOOLS_EXTENSION__
  const connect = extension?.connect
  return typeof connect === 'function' ? (o) => connect.call(extension, o) : undefined
}

/** Commands after which the monitor gets the whole history again (the inspector rewrote it, or locked / paused it). */
const RESEND = new Set(['TOGGLE_ACTION', 'REORDER_ACTION', 'COMMIT', 'ROLLBACK', 'RESET', 'SWEEP', 'IMPORT_STATE', 'PAUSE_RECORDING', 'LOCK_CHANGES'])

class ReduxDevtoolsBridge {
  readonly #inspector: Inspector
  readonly #connection: ReduxDevtoolsConnection
  readonly #unsubscribe: () => void
  readonly #unsubscribeMonitor: () => void
  /**
   * The monitor's list as this bridge told it: its action ids (0: the base) and the entry id
   * each stands for; and each entry's action id, so that a resent history keeps them.
   */
  #staged: number[] = [0]
  #stagedEntries: number[] = [-1]
  #actionOf = new Map<number, number>()
  #nextActionId = 1
  readonly #maxAge: number
  /** The document at connection, for RESET (Redux's "back to where the store started"). */
  readonly #initial: Dump
  #locked = false
  /** Set while a monitor command runs: what the inspector says meanwhile is summed up by one whole history after it. */
  #busy = false
  #changed = false
  #stopped = false

  constructor(store: Store<any>, connect: ReduxDevtoolsConnect, name: string, limit: number) {
    this.#inspector = createInspector(store, { name, limit })
    this.#maxAge = limit + 1
    this.#initial = this.#inspector.base()
    try {
      const connection = connect({ name, features: REDUX_DEVTOOLS_FEATURES, maxAge: this.#maxAge })
      if (!isRecord(connection) || !['init', 'send', 'subscribe', 'unsubscribe'].every((f) => typeof connection[f] === 'function')) {
        throw new PatchError('ARGUMENT_INVALID', 'connect() returned no Redux DevTools connection (init, send, subscribe, unsubscribe)')
      }
      this.#connection = connection as unknown as ReduxDevtoolsConnection
      this.#connection.init(this.#initial.value)
      const unsubscribe = this.#connection.subscribe((m) => this.#fromMonitor(m))
      this.#unsubscribeMonitor = typeof unsubscribe === 'function' ? (unsubscribe as () => void) : () => {}
    } catch (e) {
      this.#inspector.close()
      throw e
    }
    this.#unsubscribe = this.#inspector.subscribe((m) => this.#fromInspector(m))
  }

  // Inspector → monitor

  #fromInspector(m: InspectorMessage): void {
    if (m.type !== 'entry' && m.type !== 'entries') return
    if (this.#busy) {
      this.#changed = true
      return
    }
    // An entry is sent once (it is announced again when its render attribution arrives); while a view is shown the monitor's current state must stay on it.
    if (m.type === 'entries' || this.#inspector.status().viewing !== null) return this.#sendHistory()
    if (!this.#actionOf.has(m.entry.id)) this.#sendAction(m.entry)
  }

  #sendAction(entry: EntryMessage): void {
    const id = this.#nextActionId++
    this.#actionOf.set(entry.id, id)
    this.#staged.push(id)
    this.#stagedEntries.push(entry.id)
    // The monitor commits what passes maxAge into its base, as the inspector folds past its limit.
    if (this.#staged.length > this.#maxAge) {
      const excess = this.#staged.length - this.#maxAge
      this.#staged.splice(1, excess)
      for (const gone of this.#stagedEntries.splice(1, excess)) this.#actionOf.delete(gone)
    }
    this.#connection.send(reduxAction(entry), this.#inspector.valueAt(entry.id))
  }

  /** The whole history, as the inspector holds it now. Entries keep their action ids; new ones get the next. */
  #sendHistory(): void {
    const entries = this.#inspector.entries()
    const actionOf = new Map<number, number>()
    const ids = entries.map((e) => {
      const id = this.#actionOf.get(e.id) ?? this.#nextActionId++
      actionOf.set(e.id, id)
      return id
    })
    this.#actionOf = actionOf
    this.#staged = [0, ...ids]
    this.#stagedEntries = [-1, ...entries.map((e) => e.id)]
    const status = this.#inspector.status()
    this.#connection.send(null, liftedState(this.#inspector.base(), entries, ids, this.#nextActionId, status, this.#locked))
  }

  // Monitor → inspector

  #fromMonitor(message: unknown): void {
    if (this.#stopped || !isRecord(message)) return
    const kind = message.type
    // The monitor opened: it gets the whole history. A custom dispatch ('ACTION') is not offered (features.dispatch).
    if (kind === 'START') return this.#sendHistory()
    if (kind !== 'DISPATCH') return
    const payload = message.payload
    // The message's `state` (what the monitor computed) is never read: the inspector computes every document.
    const type = isRecord(payload) ? payload.type : undefined
    const command = typeof type === 'string' ? type : undefined
    this.#busy = true
    this.#changed = false
    try {
      if (!isRecord(payload) || command === undefined) throw invalid('a DISPATCH carries a payload with a type')
      this.#command(command, payload)
      // A lock is a view of the head: commands that went live (commit, revert, reset, import) keep it.
      if (this.#locked && this.#inspector.status().viewing === null) this.#inspector.jump(this.#headId())
    } catch (e) {
      // Refused with nothing changed; the monitor, which moved on its own (a jump, a toggle), is set back.
      this.#busy = false
      this.#connection.error?.(`patchdb: ${command ?? 'DISPATCH'} refused: ${errorFields(e).message}`)
      return this.#sendHistory()
    } finally {
      this.#busy = false
    }
    if (this.#changed || RESEND.has(command!)) this.#sendHistory()
  }

  #command(type: string, p: Record<string, unknown>): void {
    const inspector = this.#inspector
    switch (type) {
      case 'JUMP_TO_STATE':
        return this.#jump(this.#actionAt(p.index))
      case 'JUMP_TO_ACTION':
        return this.#jump(readActionId(p.actionId, 'actionId'))
      case 'TOGGLE_ACTION':
        return inspector.toggle(this.#entryOf(readActionId(p.id, 'id'), 'skip'))
      case 'REORDER_ACTION':
        return this.#reorder(readActionId(p.actionId, 'actionId'), readActionId(p.beforeActionId, 'beforeActionId'))
      case 'COMMIT':
        return inspector.commit()
      case 'ROLLBACK':
        return inspector.reset()
      case 'RESET':
        // Back to the document at connection, with no entries: an import of it alone (one revision, none if unchanged).
        inspector.import({ format: 'patchdb-log', version: 1, base: this.#initial, revisions: [] })
        return inspector.live()
      case 'SWEEP': {
        // Skipped entries are forgotten; the head does not change, so the replay writes nothing.
        const log = inspector.export()
        return inspector.import({ ...log, revisions: log.revisions.filter((r) => !r.skipped) })
      }
      case 'IMPORT_STATE':
        // The store shows the imported history's last state (a view shown before would show another history).
        inspector.import(readLiftedImport(p))
        return inspector.live()
      case 'PAUSE_RECORDING':
        return inspector.pause(readStatus(p.status))
      case 'LOCK_CHANGES':
        return this.#lock(readStatus(p.status))
      default:
        throw invalid(`unknown command ${JSON.stringify(type.slice(0, 80))}`)
    }
  }

  /** The action id at `index` in the monitor's list. */
  #actionAt(index: unknown): number {
    if (!isWhole(index) || index >= this.#staged.length) throw invalid(`index is a position in the monitor's list (0 to ${this.#staged.length - 1})`)
    return this.#staged[index]!
  }

  /** The inspector's entry (or base, for action 0) that action `id` stands for. */
  #entryOf(id: number, what?: 'skip' | 'move'): number {
    if (id === 0) {
      if (what) throw invalid(`the initial state cannot ${what}`)
      return this.#inspector.base().id
    }
    const at = this.#staged.indexOf(id)
    if (at < 1) throw invalid(`no action ${id} in this store's history`)
    return this.#stagedEntries[at]!
  }

  /**
   * Shows the document at action `actionId`. Redux DevTools has no "live" command: its
   * monitor follows new actions only from its last state, so there the store is live again
   * (and anywhere else it is travelling, even where the document is the same). While locked,
   * the last state is shown as a view too, so writes stay refused.
   */
  #jump(actionId: number): void {
    const id = this.#entryOf(actionId)
    if (!this.#locked && actionId === this.#staged[this.#staged.length - 1]) return this.#inspector.live()
    this.#inspector.jump(id)
  }

  /** Redux's REORDER_ACTION: before `beforeActionId`, or to the end / the start when it is not in the list. */
  #reorder(actionId: number, beforeActionId: number): void {
    const id = this.#entryOf(actionId, 'move')
    if (beforeActionId !== 0 && this.#staged.includes(beforeActionId)) {
      return this.#inspector.reorder(id, this.#entryOf(beforeActionId))
    }
    const first = this.#inspector.entries()[0]!
    const last = this.#staged[this.#staged.length - 1]!
    this.#inspector.reorder(id, beforeActionId > last ? null : first.id)
  }

  /**
   * Locks the store's document, as Redux DevTools locks an app's dispatches: the head is
   * shown as a view, so writes are refused (`TIME_TRAVEL`) and server updates wait. Unlocking
   * goes live again unless the user had travelled to an older state.
   */
  #lock(locked: boolean): void {
    const inspector = this.#inspector
    const viewing = inspector.status().viewing
    this.#locked = locked
    if (locked && viewing === null) inspector.jump(this.#headId())
    if (!locked && viewing !== null && viewing === this.#headId()) inspector.live()
  }

  /** The id whose document is the head: the last entry, or the base when there is none. */
  #headId(): number {
    const entries = this.#inspector.entries()
    return entries.length === 0 ? this.#inspector.base().id : entries[entries.length - 1]!.id
  }

  stop(): void {
    if (this.#stopped) return
    this.#stopped = true
    this.#unsubscribe()
    this.#unsubscribeMonitor()
    this.#connection.unsubscribe()
    this.#inspector.close()
  }
}

function readActionId(v: unknown, at: string): number {
  if (!isWhole(v)) throw invalid(`${at} is an action id (a whole number)`)
  return v
}

function readStatus(v: unknown): boolean {
  if (typeof v !== 'boolean') throw invalid('status is true or false')
  return v
}
