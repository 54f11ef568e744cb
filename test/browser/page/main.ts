// The page that the Chromium test opens in two tabs (bundled with esbuild at test time).
import { openBrowserStore, type BrowserStore } from 'patchdb/browser'
import { persisted } from '../raw-idb'
import { digest, openPlantedDeep, writeCases } from './invariant'

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
  /** Opens `name` for the invariant checks (no initial items), optionally with salvage. */
  async openPlain(name: string, salvage = false) {
    store = await openBrowserStore<Doc>(name, { value: {} as Doc, salvage })
    return { role: store.role, salvaged: store.salvaged }
  },
  writeCases: (role: 'writer' | 'follower') => writeCases(db() as never, role),
  digest: () => digest(db().dump()),
  revision: () => db().revision,
  openPlantedDeep,
}

Object.assign(globalThis, { patchdb: api })
export type PageApi = typeof api
