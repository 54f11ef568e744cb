import { createStore, type JsonValue } from 'patchdb'
import { connectDevtools, MESSAGE_SOURCE, validateInspectorMessage, type InspectorMessage } from 'patchdb/devtools'

/** A page with a store behind connectDevtools, and the extension's side played by the test. */
const store = createStore<JsonValue>({ value: { n: 0 } })
let stop = connectDevtools(store, { name: 'app' })
const got: InspectorMessage[] = []
const invalid: string[] = []
window.addEventListener('message', (e) => {
  if (e.data?.source !== MESSAGE_SOURCE || e.data.to !== 'panel') return
  try {
    got.push(validateInspectorMessage(e.data.message))
  } catch (err) {
    invalid.push(String(err))
  }
})

export const api = {
  /** Posts into this window, as the extension's content script does. */
  post: (message: unknown, extra: Record<string, unknown> = {}) => window.postMessage({ source: MESSAGE_SOURCE, to: 'inspector', name: 'app', message, ...extra }, '*'),
  /** Posts from a child frame into this window: another window, whose messages must be ignored. */
  postFromFrame: (message: unknown) =>
    new Promise<void>((resolve) => {
      // The frame's own script posts, so the event's source is the frame's window.
      const envelope = JSON.stringify({ source: MESSAGE_SOURCE, to: 'inspector', name: 'app', message })
      const frame = document.createElement('iframe')
      frame.srcdoc = `<!doctype html><script>parent.postMessage(${envelope}, '*')</script>`
      frame.onload = () => resolve()
      document.body.append(frame)
    }),
  got: () => got,
  invalid: () => invalid,
  set: (n: number, label?: string) => store.set('/n', n, label === undefined ? undefined : { label }),
  get: () => store.get(),
  revision: () => store.revision,
  polluted: () => ({} as Record<string, unknown>).polluted,
  disconnect: () => stop(),
  reconnect: () => (stop = connectDevtools(store, { name: 'app' })),
}
export type PageApi = typeof api
;(globalThis as unknown as { devtoolsPage: PageApi }).devtoolsPage = api
