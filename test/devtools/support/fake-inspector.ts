import { createStore, type Dump, type JsonValue, type Patch } from 'patchdb'
import type { EntryMessage, InspectorMessage, InspectorPort, PanelMessage, StatusFields } from 'patchdb/devtools'

/**
 * A protocol-level stand-in for an inspector, for the panel's component tests: it answers
 * `connect` with a hello built from a real store's log (real patches and inverses), answers
 * travel and pause with status messages the way the protocol says, and records every command
 * the panel sends so tests can assert them. The inspector's own semantics are tested in
 * test/devtools against createInspector; the Chromium test runs the panel on the real one.
 */
export function fakeInspector(initial: JsonValue, writes: readonly Patch[], labels: readonly (string | undefined)[] = []) {
  const store = createStore({ value: initial }, { history: writes.length + 1, freeze: false })
  const base: Dump = store.dump()
  for (const p of writes) store.apply(p)
  const entries: EntryMessage[] = store.log().map((e, i) => ({
    id: e.id,
    patch: e.patch,
    inverse: e.inverse,
    time: 1_700_000_000_000 + i,
    origin: 'local',
    skipped: false,
    ...(labels[i] ? { label: labels[i] } : {}),
  }))
  let status: StatusFields = { head: store.revision, viewing: null, paused: false }
  const sent: PanelMessage[] = []
  const listeners = new Set<(m: InspectorMessage) => void>()
  const push = (m: InspectorMessage) => listeners.forEach((fn) => fn(m))
  const port: InspectorPort = {
    subscribe(fn) {
      listeners.add(fn)
      return () => void listeners.delete(fn)
    },
    receive(m, reply) {
      sent.push(m)
      if (m.type === 'connect') reply({ type: 'hello', version: 1, name: 'test', base, limit: 100_000, entries, status })
      if (m.type === 'jump') push({ type: 'status', ...(status = { ...status, viewing: m.id }) })
      if (m.type === 'live') push({ type: 'status', ...(status = { ...status, viewing: null }) })
      if (m.type === 'pause') push({ type: 'status', ...(status = { ...status, paused: m.paused }) })
      if (m.type === 'export') reply({ type: 'exported', requestId: m.requestId, log: { format: 'patchdb-log', version: 1, base, revisions: [] } })
    },
  }
  return { port, sent, entries, push, store }
}
