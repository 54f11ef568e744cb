import { createStore } from 'patchdb'
import { connectDevtools, connectReduxDevtools, MESSAGE_SOURCE } from 'patchdb/devtools'

/*
 * The extension bench's page: a `rows`-row document (sizes and mode from the query string)
 * shown to the patchdb extension (`mode=patchdb`: connectDevtools, patches on the wire) or
 * to a model of Redux DevTools (`mode=redux`: connectReduxDevtools with a connect() that
 * JSON-serialises what it is sent, as the Redux extension does, posts it, and parses it on
 * the other side). Revision i replaces /rows/((i * 7919) % rows)/v with i.
 */
const query = new URLSearchParams(location.search)
const ROWS = Number(query.get('rows'))
const LIMIT = Number(query.get('limit'))
const rowOf = (i: number) => (i * 7919) % ROWS

const store = createStore({ value: { rows: Array.from({ length: ROWS }, (_, i) => ({ id: i, v: 0 })) } }, { history: 10, freeze: false })
let next = 1
const write = (n: number) => {
  for (let k = 0; k < n; k++, next++) store.apply([{ op: 'replace', path: `/rows/${rowOf(next)}/v`, value: next }])
  return next - 1
}

/** Characters of JSON the page sent for the extension (patchdb's envelopes) since the last reset: what crosses the extension's port. */
let wireChars = 0
let helloChars = 0
addEventListener('message', (e) => {
  if (e.source !== window || e.data?.source !== MESSAGE_SOURCE || e.data.to !== 'panel') return
  const chars = JSON.stringify({ name: e.data.name, message: e.data.message }).length
  if (e.data.message.type === 'hello') helloChars = chars
  else wireChars += chars
})

// The Redux model's receiving side: what arrives is parsed, as the monitor does.
let received = 0
let lastState: { rows: { v: number }[] } | null = null
let waiting: { count: number; resolve(): void } | null = null
addEventListener('message', (e) => {
  if (e.source !== window || typeof e.data?.reduxBench !== 'string') return
  wireChars += e.data.reduxBench.length
  const m = JSON.parse(e.data.reduxBench)
  received++
  lastState = m.state
  if (waiting && received >= waiting.count) waiting.resolve()
})

if (query.get('mode') === 'patchdb') connectDevtools(store, { name: 'bench', limit: LIMIT })
else {
  const post = (payload: unknown) => postMessage({ reduxBench: JSON.stringify(payload) }, '*')
  connectReduxDevtools(store, {
    name: 'bench',
    limit: LIMIT,
    connect: () => ({
      init: (state, liftedState) => post({ type: 'INIT', state, liftedState }),
      send: (action, state) => post({ action, state }),
      subscribe: () => () => {},
      unsubscribe: () => {},
    }),
  })
}

const extensionBench = {
  /** Starts a measured run: the clock (epoch ms, comparable with the panel page's) and the wire counter. */
  start() {
    wireChars = 0
    return performance.timeOrigin + performance.now()
  },
  /** `n` revisions; returns the last revision's id. */
  write,
  wire: () => ({ wireChars, helloChars }),
  /** Redux model: `n` revisions, resolved when the n-th message has been parsed on the other side; checks the last state. */
  async redux(n: number): Promise<{ end: number; ok: boolean }> {
    const done = new Promise<void>((resolve) => (waiting = { count: received + n, resolve }))
    const last = write(n)
    await done
    waiting = null
    return { end: performance.timeOrigin + performance.now(), ok: lastState?.rows[rowOf(last)]?.v === last }
  },
  value: (i: number) => store.get(`/rows/${rowOf(i)}/v`),
}
;(globalThis as unknown as { extensionBench: typeof extensionBench }).extensionBench = extensionBench
