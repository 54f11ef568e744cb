import type { Store } from 'patchdb'
import { createInspector, type Inspector } from './inspector'
import { MESSAGE_SOURCE, validatePanelMessage, type InspectorMessage, type Message } from './protocol'
import { errorFields, isRecord } from './validate'

/**
 * What crosses window.postMessage: a message of the protocol in an envelope that names its
 * sender's kind (`to`), and the store (`name`), since a page may hold several.
 */
export interface Envelope {
  readonly source: typeof MESSAGE_SOURCE
  readonly to: 'inspector' | 'panel'
  readonly name: string
  readonly message: Message
}

/** The global the patchdb browser extension defines in every page (its MAIN-world content script). */
export const DEVTOOLS_HOOK = '__PATCHDB_DEVTOOLS_HOOK__'

/**
 * The extension's hook: a frame's list of the stores that called connectDevtools, which
 * the extension shows by name. Defined before the page's scripts run; absent without the
 * extension.
 */
export interface DevtoolsHook {
  readonly version: 1
  /**
   * Lists a store. Returns the name it is listed under: `name`, or `name (2)` and so on
   * when the frame already lists one by that name (envelopes are addressed by name, so two
   * stores never share one), and a function that unlists it.
   */
  register(name: string): { readonly name: string; unregister(): void }
}

export interface ConnectDevtoolsOptions {
  /** Names the store in the extension; envelopes for other names are ignored. Default 'store'. */
  name?: string
  /** Entries the inspector keeps (see createInspector). */
  limit?: number
  /** The window to talk through. Default: the global one (none on a server: nothing happens). */
  window?: Window
}

/**
 * Makes a store visible to the patchdb browser extension, over window.postMessage. Until a
 * panel says `connect`, the only cost is one message listener (and, with the extension, a
 * line in its hook's list): no inspector is attached, nothing is recorded. Only messages
 * from this very window (the extension's content script posts into it) with the envelope's
 * source tag and this store's name are read, and each is validated before the inspector
 * sees it. Returns a function that disconnects.
 */
export function connectDevtools(store: Store<any>, options: ConnectDevtoolsOptions = {}): () => void {
  const win = options.window ?? (typeof window === 'undefined' ? undefined : window)
  if (!win) return () => {}
  const listed = register(win, options.name ?? 'store')
  const name = listed?.name ?? options.name ?? 'store'
  let inspector: Inspector | null = null
  let unsubscribe: (() => void) | null = null
  // postMessage to this page only: never '*' where the page has an origin.
  const target = win.location.origin === 'null' ? '*' : win.location.origin
  const post = (message: InspectorMessage) => {
    const envelope: Envelope = { source: MESSAGE_SOURCE, to: 'panel', name, message }
    win.postMessage(envelope, target)
  }

  const onMessage = (event: MessageEvent) => {
    if (event.source !== win) return // another frame, a popup, a worker: not ours
    const data: unknown = event.data
    if (!isRecord(data) || data.source !== MESSAGE_SOURCE || data.to !== 'inspector' || data.name !== name) return
    let message
    try {
      message = validatePanelMessage(data.message)
    } catch (e) {
      post({ type: 'error', ...errorFields(e) })
      return
    }
    if (!inspector) {
      if (message.type !== 'connect') return post({ type: 'error', code: 'NOT_CONNECTED', message: 'send connect first' })
      inspector = createInspector(store, { name, ...(options.limit === undefined ? {} : { limit: options.limit }) })
      unsubscribe = inspector.subscribe(post)
    }
    inspector.receive(message, post)
  }
  win.addEventListener('message', onMessage)
  return () => {
    win.removeEventListener('message', onMessage)
    listed?.unregister()
    unsubscribe?.()
    inspector?.close()
    inspector = null
  }
}

/**
 * Lists the store in the extension's hook, if the extension is there. Whatever sits at the
 * hook's name is the page's (a script could put anything there, getters included): a hook
 * that is not one, throws, or answers nonsense is ignored, never allowed to break the
 * app's call. Each field is read once.
 */
function register(win: Window, name: string): { name: string; unregister(): void } | undefined {
  try {
    const hook: unknown = (win as unknown as Record<string, unknown>)[DEVTOOLS_HOOK]
    if (!isRecord(hook) || hook.version !== 1) return undefined
    const registerFn = hook.register
    if (typeof registerFn !== 'function') return undefined
    const listed: unknown = registerFn.call(hook, name)
    if (!isRecord(listed)) return undefined
    const listedName = listed.name
    const unregister = listed.unregister
    if (typeof listedName !== 'string' || typeof unregister !== 'function') return undefined
    return {
      name: listedName,
      unregister: () => {
        try {
          unregister.call(listed)
        } catch {}
      },
    }
  } catch {
    return undefined
  }
}
