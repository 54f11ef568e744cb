import type { Dump } from 'patchdb'
import { PROTOCOL_VERSION, readExportedLog, type EntryMessage, type ExportedLog, type InspectorMessage, type PanelConnection } from '../protocol'

/** Everything the panel renders from, rebuilt from the inspector's messages. */
export interface FeedState {
  readonly connected: boolean
  readonly name: string
  readonly base: Dump
  /** In replay order (not always id order after a reorder). */
  readonly entries: readonly EntryMessage[]
  /** The store's real revision. */
  readonly head: number
  /** The revision the store shows while travelling; null at the head (live). */
  readonly viewing: number | null
  readonly paused: boolean
  /** The inspector's last error message (a refused command), until the next command. */
  readonly error: string | null
}

/** The panel's end of a connection: its state as an external store, and the commands it sends. */
export interface Feed {
  getState(): FeedState
  subscribe(fn: () => void): () => void
  jump(id: number): void
  live(): void
  toggle(id: number): void
  /** Moves entry `id` to just before `beforeId` in replay order (null: to the end); the inspector replays. */
  reorder(id: number, beforeId: number | null): void
  commit(): void
  reset(): void
  pause(paused: boolean): void
  /** The inspector's export, as a validated log. */
  exportLog(): Promise<ExportedLog>
  /** Validates `json` (a file the user picked) and sends it; throws a ProtocolError (or SyntaxError) for a bad file. The inspector's refusal shows as `error`. */
  importLog(json: string): void
  close(): void
}

const EMPTY: FeedState = { connected: false, name: '', base: { id: 0, value: null }, entries: [], head: 0, viewing: null, paused: false, error: null }

/**
 * Follows an inspector through `connection`: sends `connect`, folds every message into one
 * immutable FeedState (new entries append without copying the others' patches), and answers
 * export / import requests by their requestId.
 */
export function createFeed(connection: PanelConnection): Feed {
  let state = EMPTY
  const listeners = new Set<() => void>()
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  let nextRequest = 1

  const set = (next: Partial<FeedState>) => {
    state = { ...state, ...next }
    for (const fn of listeners) fn()
  }

  const onMessage = (m: InspectorMessage) => {
    switch (m.type) {
      case 'hello':
        return set({ connected: true, name: m.name, base: m.base, entries: m.entries, head: m.status.head, viewing: m.status.viewing, paused: m.status.paused })
      case 'entries':
        return set({ base: m.base, entries: m.entries })
      case 'entry': {
        const entries = state.entries.slice()
        let i = entries.length - 1 // a changed entry is most often a recent one
        while (i >= 0 && entries[i]!.id !== m.entry.id) i--
        if (i < 0) entries.push(m.entry)
        else entries[i] = m.entry
        return set({ entries })
      }
      case 'status':
        return set({ head: m.head, viewing: m.viewing, paused: m.paused })
      case 'exported':
        return settle(m.requestId, (p) => p.resolve(m.log))
      case 'error':
        if (m.requestId !== undefined && pending.has(m.requestId)) return settle(m.requestId, (p) => p.reject(new Error(m.message)))
        return set({ error: m.message })
      default:
        // value / touching replies: the panel rebuilds documents and filters itself.
        return
    }
  }
  const settle = (id: number, fn: (p: { resolve(v: unknown): void; reject(e: Error): void }) => void) => {
    const p = pending.get(id)
    if (!p) return
    pending.delete(id)
    fn(p)
  }
  const request = <T,>(send: (requestId: number) => void): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextRequest++
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      send(id)
    })
  const command = (m: Parameters<PanelConnection['send']>[0]) => {
    if (state.error !== null) set({ error: null })
    connection.send(m)
  }

  const unsubscribe = connection.subscribe(onMessage)
  connection.send({ type: 'connect', version: PROTOCOL_VERSION })

  return {
    getState: () => state,
    subscribe(fn) {
      listeners.add(fn)
      return () => listeners.delete(fn)
    },
    jump: (id) => command({ type: 'jump', id }),
    live: () => command({ type: 'live' }),
    toggle: (id) => command({ type: 'toggle', id }),
    reorder: (id, beforeId) => command({ type: 'reorder', id, beforeId }),
    commit: () => command({ type: 'commit' }),
    reset: () => command({ type: 'reset' }),
    pause: (paused) => command({ type: 'pause', paused }),
    exportLog: () => request<ExportedLog>((requestId) => command({ type: 'export', requestId })),
    importLog(json) {
      const log = readExportedLog(JSON.parse(json))
      // Answered by an entries message, or an error (not pending, so it shows as `error`).
      command({ type: 'import', requestId: nextRequest++, log })
    },
    close() {
      unsubscribe()
      for (const p of pending.values()) p.reject(new Error('patchdb devtools: the panel closed'))
      pending.clear()
      listeners.clear()
    },
  }
}
