/*
 * What tabs say to each other over BroadcastChannel('patchdb:' + name). Any script of the
 * origin can post there, so every message is checked (parseMessage) before it is used.
 */
import type { Patch, Revision } from 'patchdb'
import { jsonLength, type BrowserLimits } from './options'

export const PROTOCOL = 1

/** A refused patch, as the writer reports it back (PatchError fields when it is one). */
export interface WireError {
  name: string
  message: string
  code?: string
  index?: number
  path?: string
}

export type Message =
  /** A tab became the writer; followers behind `revision` catch up from IndexedDB. */
  | { t: 'hello'; writer: string; revision: number }
  /** A tab asks who the writer is (the writer answers with hello). */
  | { t: 'who' }
  /** The writer is closing: its unconfirmed patches will never be confirmed. */
  | { t: 'bye'; writer: string }
  /** Revisions now durable in IndexedDB, in order. */
  | { t: 'revs'; writer: string; revs: Revision[] }
  /** A new snapshot replaced revisions (a dump was loaded): read IndexedDB again. */
  | { t: 'reload'; writer: string; revision: number }
  /** A follower's patch for the writer `to`. */
  | { t: 'submit'; from: string; to: string; req: number; patch: Patch }
  /** A follower asks the writer `to` to compact. */
  | { t: 'compact'; to: string }
  /** The writer's answer to a submit, sent after the revision is durable and broadcast. */
  | { t: 'result'; to: string; req: number; revision: Revision | null; error: WireError | null }

const MAX_ID = 64
const MAX_TEXT = 4096

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isTab = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID
const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_TEXT

function isPatch(v: unknown, limits: BrowserLimits): v is Patch {
  if (!Array.isArray(v)) return false
  const size = jsonLength(v)
  return size >= 0 && size <= limits.patchBytes
}

const isRevision = (v: unknown, limits: BrowserLimits): v is Revision =>
  isObject(v) && isId(v.id) && isPatch(v.patch, limits)

function isWireError(v: unknown): v is WireError {
  return (
    isObject(v) &&
    isText(v.name) &&
    isText(v.message) &&
    (v.code === undefined || isText(v.code)) &&
    (v.index === undefined || Number.isSafeInteger(v.index)) &&
    (v.path === undefined || isText(v.path))
  )
}

/** The message, or null when `data` is not a well-formed message of this protocol. */
export function parseMessage(data: unknown, limits: BrowserLimits): Message | null {
  if (!isObject(data) || data.v !== PROTOCOL) return null
  const m = data
  switch (m.t) {
    case 'hello':
    case 'reload':
      return isTab(m.writer) && isId(m.revision) ? { t: m.t, writer: m.writer, revision: m.revision } : null
    case 'who':
      return { t: 'who' }
    case 'bye':
      return isTab(m.writer) ? { t: 'bye', writer: m.writer } : null
    case 'revs':
      return isTab(m.writer) &&
        Array.isArray(m.revs) &&
        m.revs.length <= limits.records &&
        m.revs.every((r) => isRevision(r, limits))
        ? { t: 'revs', writer: m.writer, revs: m.revs.map((r: Revision) => ({ id: r.id, patch: r.patch })) }
        : null
    case 'submit':
      return isTab(m.from) && isTab(m.to) && isId(m.req) && isPatch(m.patch, limits)
        ? { t: 'submit', from: m.from, to: m.to, req: m.req, patch: m.patch }
        : null
    case 'compact':
      return isTab(m.to) ? { t: 'compact', to: m.to } : null
    case 'result':
      return isTab(m.to) &&
        isId(m.req) &&
        (m.revision === null || isRevision(m.revision, limits)) &&
        (m.error === null || isWireError(m.error))
        ? { t: 'result', to: m.to, req: m.req, revision: m.revision, error: m.error }
        : null
    default:
      return null
  }
}

/** Stamps the protocol version on an outgoing message. */
export const wire = (m: Message) => ({ v: PROTOCOL, ...m })
