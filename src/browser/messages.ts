/*
 * What tabs say to each other over BroadcastChannel('patchdb:' + name). Any script of the
 * origin can post there, so every message is checked (parseMessage) before it is used, and
 * none carries the document: followers read revisions from IndexedDB only. A message is a
 * hint to read it (hello, bye, durable), a write for the writer (submit, compact), or the
 * writer's answer to one (result), accepted only from the writer IndexedDB names.
 */
import type { Patch } from 'patchdb'
import { jsonLength, type BrowserLimits } from './options'
import { isObject, isTab } from './records'

/** Version 2: revisions are no longer carried (version 1 sent them in 'revs'). */
export const PROTOCOL = 2

/** A refused patch, as the writer reports it back (PatchError fields when it is one). */
export interface WireError {
  name: string
  message: string
  code?: string
  index?: number
  path?: string
}

export type Message =
  /** A tab became the writer (it wrote itself into IndexedDB first). */
  | { t: 'hello'; writer: string; revision: number }
  /** A tab asks who the writer is (the writer answers with hello). */
  | { t: 'who' }
  /** The writer is closing (it removed itself from IndexedDB first). */
  | { t: 'bye'; writer: string }
  /** The writer made revisions up to `revision` durable in IndexedDB. */
  | { t: 'durable'; writer: string; revision: number }
  /**
   * A follower's patch for the writer `to`, `req` a random number (Outbox). As parsed, `size` is its JSON length, and
   * `patch` is null when that is over the writer's limit (answered with a LimitError).
   */
  | { t: 'submit'; from: string; to: string; req: number; patch: Patch | null; size?: number }
  /** A follower asks the writer `to` to compact. */
  | { t: 'compact'; to: string }
  /** The writer's answer to a submit: the revision id (null: no change) once durable, or why it refused. */
  | { t: 'result'; from: string; to: string; req: number; revision: number | null; error: WireError | null }

const MAX_TEXT = 4096

const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_TEXT


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
    case 'durable':
      return isTab(m.writer) && isId(m.revision) ? { t: m.t, writer: m.writer, revision: m.revision } : null
    case 'who':
      return { t: 'who' }
    case 'bye':
      return isTab(m.writer) ? { t: 'bye', writer: m.writer } : null
    case 'submit': {
      if (!isTab(m.from) || !isTab(m.to) || !isId(m.req) || !Array.isArray(m.patch)) return null
      // Bounded by the writer's own limit on a write (WriteLimits), and refused as it would be.
      const size = jsonLength(m.patch)
      if (size < 0) return null
      return { t: 'submit', from: m.from, to: m.to, req: m.req, patch: size <= limits.snapshotBytes ? m.patch : null, size }
    }
    case 'compact':
      return isTab(m.to) ? { t: 'compact', to: m.to } : null
    case 'result':
      return isTab(m.from) &&
        isTab(m.to) &&
        isId(m.req) &&
        (m.revision === null || isId(m.revision)) &&
        (m.error === null || isWireError(m.error))
        ? { t: 'result', from: m.from, to: m.to, req: m.req, revision: m.revision, error: m.error }
        : null
    default:
      return null
  }
}

/** Stamps the protocol version on an outgoing message. */
export const wire = (m: Message) => ({ v: PROTOCOL, ...m })
