import { createStore, type JsonValue, type Store } from 'patchdb'
import { connectDevtools, MESSAGE_SOURCE } from 'patchdb/devtools'

/**
 * A test page with patchdb stores behind connectDevtools, as an app would have them:
 * `?stores=a,b` names them (default `app`). Each store's document is shown in the page
 * (`<pre data-store=name>`), so a test sees the page change when the panel travels.
 */
interface Listed {
  readonly store: Store<JsonValue>
  readonly name: string
  stop(): void
}
const stores = new Map<string, Listed>()

function add(name: string, value: JsonValue = { n: 0 }): string {
  const store = createStore<JsonValue>({ value })
  const pre = document.createElement('pre')
  pre.dataset.store = name
  const show = () => (pre.textContent = JSON.stringify(store.get()).slice(0, 500))
  store.subscribe(show)
  show()
  document.body.append(pre)
  const stop = connectDevtools(store, { name })
  stores.set(name, { store, name, stop })
  return name
}

const get = (name: string) => {
  const s = stores.get(name)
  if (!s) throw new Error(`no store ${name}`)
  return s.store
}

for (const name of (new URLSearchParams(location.search).get('stores') ?? 'app').split(',').filter(Boolean)) add(name)

export const api = {
  add,
  remove: (name: string) => {
    stores.get(name)?.stop()
    stores.delete(name)
  },
  set: (name: string, path: string, value: JsonValue, label?: string) => get(name).set(path, value, label === undefined ? undefined : { label }),
  get: (name: string, path = '') => get(name).get(path) as JsonValue | undefined,
  revision: (name: string) => get(name).revision,
  /** `count` rows of about `bytes` characters each: a document too big for one extension message. */
  bigRows: (name: string, count: number, bytes: number) => {
    const row = 'x'.repeat(bytes)
    get(name).set('/rows', Array.from({ length: count }, (_, i) => `${i}:${row}`), { label: 'big rows' })
  },
  /** Posts into this window as a page's own script could: the relay must refuse what is not patchdb's. */
  forge: (envelope: unknown) => window.postMessage(envelope, '*'),
  source: MESSAGE_SOURCE,
  /** Adds a frame at `src` (a same-origin path, or another origin's address). */
  frame: (src: string) =>
    new Promise<void>((resolve) => {
      const frame = document.createElement('iframe')
      frame.src = src
      frame.onload = () => resolve()
      document.body.append(frame)
    }),
}
export type ExtensionPageApi = typeof api
;(globalThis as unknown as { extensionPage: ExtensionPageApi }).extensionPage = api
