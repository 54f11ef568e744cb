// The page that the Chromium test opens in two tabs (bundled with esbuild at test time).
import { openBrowserStore, type BrowserStore } from 'patchdb/browser'
import { namedWriter, persisted } from '../raw-idb'
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
  /** An intruder: posts forged messages on the database's channel, in the named writer's name too. */
  async forge(name: string) {
    const writer = await namedWriter(name)
    const channel = new BroadcastChannel(`patchdb:${name}`)
    for (const m of [
      { v: 2, t: 'hello', writer: 'evil', revision: 99 },
      { v: 2, t: 'durable', writer: 'evil', revision: 99 },
      { v: 1, t: 'revs', writer: 'evil', revs: [{ id: 99, patch: [{ op: 'add', path: '/items/-', value: 'forged' }] }] },
      { v: 2, t: 'durable', writer, revision: 98 },
      { v: 2, t: 'bye', writer },
    ]) {
      channel.postMessage(m)
    }
    channel.close()
  },
  /** Submits one item from this tab and resolves with its revision id. */
  submit: async (item: string) => (await db().submit([{ op: 'add', path: '/items/-', value: item }]))?.id,
}

Object.assign(globalThis, { patchdb: api })
export type PageApi = typeof api
