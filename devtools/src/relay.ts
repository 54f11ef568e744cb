/// <reference types="chrome" />
import { MESSAGE_SOURCE, validateInspectorMessage, type InspectorMessage } from 'patchdb/devtools'
import { isRecord, PANEL_PORT, readStoreNames } from './store-lists'
import { createReceiver, createSender, type FrameReceiver, type FrameSender } from './wire'

/**
 * The isolated-world content script: the only way between a page and the extension.
 *
 * - From the page it reads window.postMessage events of this very window only (not another
 *   frame's, a popup's or a worker's) that carry patchdb's source tag. A store list goes to
 *   the service worker; an inspector's message is validated (the protocol's shape, JSON
 *   values, pointers without __proto__, bounded strings) and forwarded, framed, to the
 *   panels attached to that store, and only if one is.
 * - From a panel (a port that chrome.tabs.connect opened to this frame, from this extension
 *   only) it takes commands and posts them into the page; the page's connectDevtools
 *   validates them. When the last panel of a store goes away, the store goes back live.
 */
interface Attached {
  readonly sender: FrameSender
  readonly receiver: FrameReceiver
  /** The stores this panel said `connect` to. */
  readonly names: Set<string>
}
const panels = new Map<chrome.runtime.Port, Attached>()
const target = location.origin === 'null' ? '*' : location.origin
let listed: readonly string[] = []

const toPage = (name: string, message: unknown) => window.postMessage({ source: MESSAGE_SOURCE, to: 'inspector', name, message }, target)

function tellWorker(names: readonly string[]) {
  // The worker may be stopped: a message wakes it. Without the extension (reloaded, removed) this throws: nothing to tell.
  try {
    chrome.runtime.sendMessage({ type: 'stores', names }).catch(() => {})
  } catch {}
}

window.addEventListener('message', (event) => {
  if (event.source !== window) return
  const data: unknown = event.data
  if (!isRecord(data) || data.source !== MESSAGE_SOURCE) return
  if (data.to === 'extension') {
    const names = data.type === 'stores' ? readStoreNames(data.names) : null
    if (!names || names.join('\0') === listed.join('\0')) return
    listed = names
    return tellWorker(names)
  }
  if (data.to !== 'panel' || typeof data.name !== 'string') return
  const name = data.name
  let to: Attached[] | undefined
  for (const a of panels.values()) if (a.names.has(name)) (to ??= []).push(a)
  if (!to) return // no panel: nothing leaves the page
  let message: InspectorMessage
  try {
    message = validateInspectorMessage(data.message)
  } catch (e) {
    // The panel says so, as it would of a refused command: it keeps what it has.
    message = { type: 'error', code: 'PAGE_MESSAGE_REFUSED', message: `the page sent a message that is not patchdb's: ${(e as Error).message}`.slice(0, 2000) }
  }
  for (const a of to) {
    try {
      a.sender.send({ name, message })
    } catch (e) {
      // Over the size limit (or the panel just left): say so if it can still hear.
      try {
        a.sender.send({ name, message: { type: 'error', code: 'PAGE_MESSAGE_REFUSED', message: (e as Error).message } })
      } catch {}
    }
  }
})

chrome.runtime.onConnect.addListener((port) => {
  // Ports from this extension's pages only (another extension's never reach onConnect, but say so).
  if (port.name !== PANEL_PORT || port.sender?.id !== chrome.runtime.id) return port.disconnect()
  const attached: Attached = { sender: createSender((f) => port.postMessage(f)), receiver: createReceiver(), names: new Set() }
  panels.set(port, attached)
  port.onMessage.addListener((frame: unknown) => {
    let value: unknown
    try {
      const json = attached.receiver.receive(frame)
      if (json === null) return
      value = JSON.parse(json)
    } catch {
      return port.disconnect()
    }
    if (!isRecord(value) || typeof value.name !== 'string' || !isRecord(value.message)) return
    if (value.message.type === 'connect') attached.names.add(value.name)
    toPage(value.name, value.message)
  })
  port.onDisconnect.addListener(() => {
    panels.delete(port)
    // A store no panel shows any more goes back live (writes were refused while it travelled).
    for (const name of attached.names) if (![...panels.values()].some((a) => a.names.has(name))) toPage(name, { type: 'live' })
  })
})

// A document that goes away (reload, navigation, into the back/forward cache) takes its stores off the list; one that comes back puts them back.
addEventListener('pagehide', () => listed.length > 0 && tellWorker([]))
addEventListener('pageshow', (e) => (e as PageTransitionEvent).persisted && listed.length > 0 && tellWorker(listed))
