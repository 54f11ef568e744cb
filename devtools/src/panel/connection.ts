/// <reference types="chrome" />
import { PROTOCOL_VERSION, validateInspectorMessage, type InspectorMessage, type PanelConnection, type PanelMessage } from 'patchdb/devtools'
import { documentKey, isRecord, PANEL_PORT, type StoreTarget } from '../store-lists'
import { createReceiver, createSender, type FrameReceiver, type FrameSender } from '../wire'
import { createHistoryTracker } from './history'

/** `connecting`: a port is open, its hello not in yet; `waiting`: no port (the page is away, or shows no store). */
export type ConnectionStatus = 'connecting' | 'connected' | 'waiting'

/** The panel's transport to one store of its tab, over a port to the relay of the store's frame. */
export interface ExtensionConnection extends PanelConnection {
  /**
   * Points the connection at `target` (a store in a document of the tab; after a reload, the
   * reloaded document's), or at nothing while the page is away. The feed stays: it gets the
   * new document's `hello`, and with `keepHistory` the log it had is replayed into the store.
   */
  attach(target: StoreTarget | null): void
  /** The document attached to, while its port is open. */
  attached(): StoreTarget | null
  /** Whether the port to `documentId` closed: that document went away (reload, navigation), whatever the lists still say. */
  isGone(documentId: string): boolean
  onStatus(fn: (status: ConnectionStatus) => void): () => void
}

export interface ExtensionConnectionOptions {
  /** Read at each reload: true replays the log seen before into the reloaded page (as Redux DevTools' persist does), false starts afresh. */
  keepHistory(): boolean
}

/** Request ids the connection's own `import` uses: far from the feed's, which count up from 1. */
let ownRequest = Number.MAX_SAFE_INTEGER

/**
 * A PanelConnection over chrome.tabs.connect(tabId, { frameId, documentId }): a port from
 * this panel to one document of its inspected tab, and to no other tab. What arrives is
 * put back together from its frames and validated again (the relay runs in the page's
 * process). While no port is open, commands are answered with an error message.
 */
export function createExtensionConnection(tabId: number, options: ExtensionConnectionOptions): ExtensionConnection {
  const listeners = new Set<(m: InspectorMessage) => void>()
  const statusListeners = new Set<(s: ConnectionStatus) => void>()
  const history = createHistoryTracker()
  let port: chrome.runtime.Port | null = null
  let sender: FrameSender | null = null
  let target: StoreTarget | null = null
  /** The document of the last hello: a hello from another one means the page was reloaded. */
  let helloFrom: string | null = null
  /** The feed has said connect: a new port says it again for it. */
  let feedConnected = false
  let closed = false
  const gone = new Set<string>()

  /**
   * Messages go to the panel in batches, one per task: a page that writes in a loop sends
   * a burst, and Chrome hands each port message over on its own; delivered one by one, each
   * would be a render of its own (bench 12: a batch per task renders 1,496 revisions/s).
   * In order, errors included.
   */
  let queue: InspectorMessage[] = []
  // A MessageChannel's task, not a timer: Chrome throttles timers in a hidden DevTools panel.
  const nextTask = new MessageChannel()
  nextTask.port1.onmessage = () => {
    const batch = queue
    queue = []
    for (const m of batch) for (const fn of [...listeners]) fn(m)
  }
  const deliver = (m: InspectorMessage) => {
    if (queue.push(m) === 1) nextTask.port2.postMessage(null)
  }
  const status = (s: ConnectionStatus) => {
    for (const fn of [...statusListeners]) fn(s)
  }
  const send = (message: PanelMessage) => {
    if (!sender || !target) {
      return deliver({ type: 'error', code: 'DISCONNECTED', message: 'patchdb devtools: the page is not connected (reloading?); the command was not sent' })
    }
    try {
      sender.send({ name: target.name, message })
    } catch (e) {
      deliver({ type: 'error', code: 'DISCONNECTED', message: `patchdb devtools: ${(e as Error).message}` })
    }
  }

  const onHello = (documentId: string) => {
    const reloaded = helloFrom !== null && helloFrom !== documentId
    helloFrom = documentId
    const log = reloaded && options.keepHistory() ? history.log() : null
    if (log) send({ type: 'import', requestId: ownRequest--, log })
  }

  const open = (to: StoreTarget) => {
    const p = chrome.tabs.connect(tabId, { name: PANEL_PORT, frameId: to.frameId, documentId: to.documentId })
    const receiver: FrameReceiver = createReceiver()
    port = p
    sender = createSender((f) => p.postMessage(f))
    p.onMessage.addListener((frame: unknown) => {
      let m: InspectorMessage
      try {
        const json = receiver.receive(frame)
        if (json === null) return
        const value: unknown = JSON.parse(json)
        if (!isRecord(value) || value.name !== to.name) return
        m = validateInspectorMessage(value.message)
      } catch (e) {
        return deliver({ type: 'error', code: 'PROTOCOL_INVALID', message: (e as Error).message })
      }
      if (m.type === 'hello') onHello(to.documentId)
      history.see(m)
      if (m.type === 'hello') status('connected')
      deliver(m)
    })
    p.onDisconnect.addListener(() => {
      void chrome.runtime.lastError // no relay there (any more): the page went away
      gone.add(to.documentId)
      // And off the worker's list, in case its farewell was lost (a page that comes back from the back/forward cache lists itself again).
      void chrome.storage.session.remove(documentKey(tabId, to.frameId, to.documentId))
      if (port !== p) return
      port = null
      sender = null
      status('waiting')
    })
    status('connecting')
    if (feedConnected) send({ type: 'connect', version: PROTOCOL_VERSION })
  }

  return {
    send(message) {
      if (closed) return
      if (message.type === 'connect') feedConnected = true
      send(message)
    },
    subscribe(fn) {
      listeners.add(fn)
      return () => void listeners.delete(fn)
    },
    attach(to) {
      if (closed) return
      if (to && port && target && to.documentId === target.documentId && to.name === target.name) return
      port?.disconnect()
      port = null
      sender = null
      target = to
      if (to) open(to)
      else status('waiting')
    },
    attached: () => (port ? target : null),
    isGone: (documentId) => gone.has(documentId),
    onStatus(fn) {
      statusListeners.add(fn)
      return () => void statusListeners.delete(fn)
    },
    close() {
      closed = true
      nextTask.port1.close()
      port?.disconnect()
      port = null
      sender = null
      listeners.clear()
      statusListeners.clear()
    },
  }
}
