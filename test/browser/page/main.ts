// The page that the Chromium test opens in two tabs (bundled with esbuild at test time).
import { openBrowserStore, type BrowserStore } from 'patchdb/browser'
import { persisted } from '../raw-idb'

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
  persisted,
}

Object.assign(globalThis, { patchdb: api })
export type PageApi = typeof api
