import { createRoot } from 'react-dom/client'
import { openBrowserStore } from 'patchdb/browser'
import { connectStore } from 'patchdb/client'
import { PatchProvider } from 'patchdb/react'
import { App } from './App'
import type { Shared } from './state'
import './styles.css'

const root = createRoot(document.getElementById('root')!)

try {
  // The server that served this page also takes the sync socket at /sync (`?sync=` picks
  // another, as the e2e test does to put a relay it can cut in between).
  const here = new URL(location.href)
  const url = here.searchParams.get('sync') ?? `${here.protocol === 'https:' ? 'wss' : 'ws'}://${here.host}/sync`
  // IndexedDB keeps what this browser knows of the list and its unsent writes: a reload while
  // offline shows them, and sends them once the server is back. One tab of a profile keeps
  // it (the writer); other tabs sync from memory, so two tabs never share one client id.
  const local = await openBrowserStore('patchdb-collab-sync')
  const client = connectStore<Shared>(url, { local: local.role === 'writer' ? local : undefined, backoff: { max: 3000 } })
  root.render(
    <PatchProvider store={client.store}>
      <App />
    </PatchProvider>,
  )
} catch (e) {
  root.render(<p role="alert">Could not start: {String(e)}</p>)
}
