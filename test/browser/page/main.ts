// The page that the Chromium test opens in two tabs (bundled with esbuild at test time).
import { applyPatch, type Patch } from 'patchdb'
import { openBrowserStore, type BrowserStore } from 'patchdb/browser'
import { readRaw } from '../raw-idb'

interface Doc {
  items: string[]
}

let store: BrowserStore<Doc> | null = null
function db(): BrowserStore<Doc> {
  if (!store) throw new Error('call patchdb.open(name) first')
  return store
}

const api = {
  async open(name: string) {
    store = await openBrowserStore<Doc>(name, { value: { items: [] }, compact: { records: 30 } })
    return store.role
  },
  role: () => db().role,
  dump: () => db().dump(),
  /** Writes `count` items, one revision each, without waiting in between. */
  write(prefix: string, count: number) {
    for (let i = 0; i < count; i++) db().apply([{ op: 'add', path: '/items/-', value: `${prefix}${i}` }])
  },
  flush: () => db().flush(),
  /** The document IndexedDB holds: its snapshot with its log replayed, and the log's ids. */
  async persisted(name: string) {
    const raw = await readRaw(name)
    const patches = raw.log.map((r) => r.value.patch as Patch)
    return {
      id: raw.log.length ? raw.log[raw.log.length - 1]!.value.id : raw.snapshot.id,
      value: applyPatch(raw.snapshot.value, ...patches).value,
      snapshotId: raw.snapshot.id,
      logIds: raw.log.map((r) => r.value.id),
    }
  },
}

Object.assign(globalThis, { patchdb: api })
export type PageApi = typeof api
