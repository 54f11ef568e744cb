import { connectDirect, ProtocolError, validateInspectorMessage, type InspectorMessage, type InspectorPort, type PanelConnection, type PanelMessage } from 'patchdb/devtools'

/**
 * The devtools protocol over Storybook's channel (preview iframe ⇄ manager), the way
 * connectDirect carries it within a page. Every message travels as a JSON string in an
 * envelope naming the story's session: Storybook's transports cut objects deeper than 15
 * to 25 levels, which would silently truncate a deep document, and a session id keeps a
 * story's replies from reaching the panel of the story shown after it.
 */

/** preview → manager: `{ storyId, session }`, the session of the story just rendered (null: it has no store). */
export const SESSION_EVENT = 'patchdb/session'
/** manager → preview: which session is current? (the panel opened after the story rendered). */
export const ASK_EVENT = 'patchdb/ask'
/** preview → manager: `{ session, json }`, an inspector's message. */
export const INSPECTOR_EVENT = 'patchdb/inspector'
/** manager → preview: `{ session, json }`, a panel's command. */
export const PANEL_EVENT = 'patchdb/panel'

/** What of Storybook's channel the adapters use (the preview's and the manager's are alike). */
export interface ChannelLike {
  emit(event: string, ...args: unknown[]): void
  on(event: string, fn: (...args: any[]) => void): void
  off(event: string, fn: (...args: any[]) => void): void
}

export interface Envelope {
  readonly session: string
  readonly json: string
}

/** The envelope's JSON, parsed, if `data` is an envelope for `session`; undefined otherwise (another session's, or not ours). */
function open(data: unknown, session: string): { ok: true; value: unknown } | { ok: false; error: string } | undefined {
  if (typeof data !== 'object' || data === null) return undefined
  const { session: s, json } = data as Record<string, unknown>
  if (s !== session) return undefined
  if (typeof json !== 'string') return { ok: false, error: 'patchdb storybook: an envelope carries its message as a JSON string' }
  try {
    return { ok: true, value: JSON.parse(json) }
  } catch (e) {
    return { ok: false, error: `patchdb storybook: the message is not JSON: ${(e as Error).message}` }
  }
}

/**
 * The preview's end: answers the panel's commands for one session with `inspector`. It
 * forwards the inspector's feed only once a panel has said `connect`, so a story whose
 * Patches panel is closed sends nothing. Commands are validated by connectDirect, which
 * answers a bad one with an `error` message. Returns a function that stops serving.
 */
export function serveInspector(channel: ChannelLike, session: string, inspector: InspectorPort): () => void {
  let direct: PanelConnection | null = null
  const post = (message: InspectorMessage) => channel.emit(INSPECTOR_EVENT, { session, json: JSON.stringify(message) } satisfies Envelope)
  const onPanel = (data: unknown) => {
    const opened = open(data, session)
    if (!opened) return
    if (!opened.ok) return post({ type: 'error', code: 'PROTOCOL_INVALID', message: opened.error })
    if (!direct) {
      direct = connectDirect(inspector)
      direct.subscribe(post)
    }
    direct.send(opened.value as PanelMessage)
  }
  channel.on(PANEL_EVENT, onPanel)
  return () => {
    channel.off(PANEL_EVENT, onPanel)
    direct?.close()
    direct = null
  }
}

/**
 * The manager's end: a panel connection to the inspector of `session`, for
 * `<PatchDevtools connection={...}>`. What arrives is validated; a bad message reaches the
 * panel as an `error` message instead.
 */
export function connectChannel(channel: ChannelLike, session: string): PanelConnection {
  const listeners = new Set<(m: InspectorMessage) => void>()
  let closed = false
  const deliver = (m: InspectorMessage) => {
    for (const fn of [...listeners]) fn(m)
  }
  const onInspector = (data: unknown) => {
    if (closed) return
    const opened = open(data, session)
    if (!opened) return
    if (!opened.ok) return deliver({ type: 'error', code: 'PROTOCOL_INVALID', message: opened.error })
    let message: InspectorMessage
    try {
      message = validateInspectorMessage(opened.value)
    } catch (e) {
      return deliver({ type: 'error', code: e instanceof ProtocolError ? 'PROTOCOL_INVALID' : 'ERROR', message: (e as Error).message })
    }
    deliver(message)
  }
  channel.on(INSPECTOR_EVENT, onInspector)
  return {
    send(message) {
      if (!closed) channel.emit(PANEL_EVENT, { session, json: JSON.stringify(message) } satisfies Envelope)
    },
    subscribe(fn) {
      listeners.add(fn)
      return () => void listeners.delete(fn)
    },
    close() {
      closed = true
      listeners.clear()
      channel.off(INSPECTOR_EVENT, onInspector)
    },
  }
}
