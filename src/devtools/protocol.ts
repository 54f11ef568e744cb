import type { Dump, JsonValue, Patch } from 'patchdb'
import { readDump, readJson, readPatch, readPointer, invalid, isRecord, isWhole, isString, ProtocolError } from './validate'

/**
 * The devtools wire protocol: one discriminated union of plain-JSON messages between an
 * inspector (in the app's page) and a panel (in the page, an extension or Storybook).
 * Patches travel, not whole states: the panel holds the base document and rebuilds any
 * revision from it and the entries' patches. Every message crosses a boundary that may be
 * hostile (another frame, an extension), so each side runs `validateMessage` on what it
 * receives. Documented in docs/devtools-protocol.md.
 */
export const PROTOCOL_VERSION = 1

/** Tags the messages of the window.postMessage adapter, so other scripts' messages are ignored. */
export const MESSAGE_SOURCE = 'patchdb-devtools'

/** Why an entry is out of the head: it no longer applies. A PatchError, serialized. */
export interface EntryError {
  readonly code: string
  readonly message: string
}

/** The watchers of one pointer that a dispatch called. */
export interface PointerCalls {
  readonly pointer: string
  readonly calls: number
  /**
   * The labels its watchers were registered with (`store.watch(path, fn, { label })`,
   * `usePatch(path, { label })`), each with how many of them carry it; absent when none is
   * labelled. A list, not an object keyed by label: labels are arbitrary strings.
   */
  readonly labels?: readonly LabelCalls[]
}

export interface LabelCalls {
  readonly label: string
  readonly calls: number
}

/** Which watchers a revision's dispatch called. */
export interface RenderCalls {
  /** Watchers called in all. */
  readonly watchers: number
  /** Per watched pointer that was called: how many of its watchers, and their labels. */
  readonly pointers: readonly PointerCalls[]
  /** Milliseconds the dispatch took (watchers and subscribers). */
  readonly ms: number
}

/** Where a revision came from: the app, a server's update(), or devtools itself. */
export type EntryOrigin = 'local' | 'server' | 'devtools'

/** One recorded revision as the panel sees it. */
export interface EntryMessage {
  /** The store's revision id when it was recorded. Entries are in replay order, not always id order after a reorder. */
  readonly id: number
  readonly patch: Patch
  /** Undoes `patch` in the current replay (meaningless while the entry is out of the head). */
  readonly inverse: Patch
  /** Date.now() when it was recorded. */
  readonly time: number
  readonly origin: EntryOrigin
  readonly label?: string
  /** Where the write was made, when the inspector asked for stacks (development). */
  readonly stack?: string
  /** Skipped by the user: out of the head until toggled back. */
  readonly skipped: boolean
  /** Set when the entry did not apply in the last replay: out of the head too. */
  readonly error?: EntryError
  /** Render attribution, once its dispatch has run. */
  readonly calls?: RenderCalls
}

/** The exported log: `base`, then the revisions in replay order. */
export interface ExportedLog {
  readonly format: 'patchdb-log'
  readonly version: 1
  readonly base: Dump
  readonly revisions: readonly ExportedRevision[]
}

export interface ExportedRevision {
  readonly id: number
  readonly patch: Patch
  readonly time: number
  readonly origin: EntryOrigin
  readonly label?: string
  readonly skipped: boolean
}

// inspector → panel

export interface HelloMessage {
  readonly type: 'hello'
  readonly version: typeof PROTOCOL_VERSION
  /** The inspector's name (`createInspector(store, { name })`). */
  readonly name: string
  /** The document every entry replays from. */
  readonly base: Dump
  readonly limit: number
  readonly entries: readonly EntryMessage[]
  readonly status: StatusFields
}
/** The whole list again: after commit, reset, reorder, import, or when old entries fold into the base. */
export interface EntriesMessage {
  readonly type: 'entries'
  readonly base: Dump
  readonly entries: readonly EntryMessage[]
}
/** One new or changed entry (recorded, toggled, marked with an error, attributed). */
export interface EntryUpdateMessage {
  readonly type: 'entry'
  readonly entry: EntryMessage
}
export interface StatusFields {
  /** The store's real revision. */
  readonly head: number
  /** The revision the store shows while travelling, else null. */
  readonly viewing: number | null
  readonly paused: boolean
}
export interface StatusMessage extends StatusFields {
  readonly type: 'status'
}
/** Reply to `valueAt`: the value at `pointer` in the document at revision `id` (absent when missing there). */
export interface ValueMessage {
  readonly type: 'value'
  readonly requestId: number
  readonly id: number
  readonly pointer: string
  readonly value?: JsonValue
}
/** Reply to `touching`: the entries whose patch touches `pointer`, each patch scoped to it. */
export interface TouchingMessage {
  readonly type: 'touching'
  readonly requestId: number
  readonly pointer: string
  readonly entries: readonly { readonly id: number; readonly patch: Patch }[]
}
export interface ExportedMessage {
  readonly type: 'exported'
  readonly requestId: number
  readonly log: ExportedLog
}
/** A command failed (or a message was refused); `requestId` when it answered one. */
export interface ErrorMessage {
  readonly type: 'error'
  readonly requestId?: number
  readonly code: string
  readonly message: string
}

export type InspectorMessage =
  | HelloMessage
  | EntriesMessage
  | EntryUpdateMessage
  | StatusMessage
  | ValueMessage
  | TouchingMessage
  | ExportedMessage
  | ErrorMessage

// panel → inspector. Commands that change state answer with status / entries messages;
// requests carry a `requestId` the reply repeats.

export type PanelMessage =
  | { readonly type: 'connect'; readonly version: typeof PROTOCOL_VERSION }
  | { readonly type: 'jump'; readonly id: number }
  | { readonly type: 'live' }
  | { readonly type: 'toggle'; readonly id: number }
  /** Moves entry `id` before entry `beforeId`, or to the end when `beforeId` is null. */
  | { readonly type: 'reorder'; readonly id: number; readonly beforeId: number | null }
  | { readonly type: 'commit' }
  | { readonly type: 'reset' }
  | { readonly type: 'pause'; readonly paused: boolean }
  | { readonly type: 'export'; readonly requestId: number }
  | { readonly type: 'import'; readonly requestId: number; readonly log: ExportedLog }
  | { readonly type: 'touching'; readonly requestId: number; readonly pointer: string }
  | { readonly type: 'valueAt'; readonly requestId: number; readonly id: number; readonly pointer: string }

export type Message = InspectorMessage | PanelMessage

/** A transport between an inspector and a panel: direct, window.postMessage, an extension port. */
export interface Connection<In extends Message = Message, Out extends Message = Message> {
  /** Sends a message to the other side. */
  send(message: Out): void
  /** Receives the other side's messages (already validated); returns unsubscribe. */
  subscribe(fn: (message: In) => void): () => void
  close(): void
}

/**
 * What an adapter needs of an inspector: its broadcast feed (entries, entry, status) and a
 * way to hand it a command, whose replies (hello, value, touching, exported, error) go
 * to `reply` only, so that several panels never see each other's answers.
 */
export interface InspectorPort {
  subscribe(fn: (message: InspectorMessage) => void): () => void
  receive(message: PanelMessage, reply: (message: InspectorMessage) => void): void
}

/** The panel's side of a connection. */
export type PanelConnection = Connection<InspectorMessage, PanelMessage>
/** The inspector's side of a connection. */
export type InspectorConnection = Connection<PanelMessage, InspectorMessage>

export { ProtocolError }

/**
 * Checks that `m` is a message of this protocol and returns it, typed; throws a
 * `ProtocolError` saying what is wrong. Reads plain data only (never a getter's result
 * twice), refuses unknown types, wrong versions, non-JSON values and unsafe pointers.
 */
export function validateMessage(m: unknown): Message {
  if (!isRecord(m)) throw invalid('a message is an object')
  const type = m.type
  switch (type) {
    case 'connect':
      return { type, version: version(m.version) }
    case 'hello':
      return {
        type,
        version: version(m.version),
        name: str(m.name, 'name'),
        base: readDump(m.base, 'base'),
        limit: whole(m.limit, 'limit'),
        entries: list(m.entries, 'entries').map((e, i) => readEntry(e, `entries[${i}]`)),
        status: readStatus(m.status, 'status'),
      }
    case 'entries':
      return { type, base: readDump(m.base, 'base'), entries: list(m.entries, 'entries').map((e, i) => readEntry(e, `entries[${i}]`)) }
    case 'entry':
      return { type, entry: readEntry(m.entry, 'entry') }
    case 'status':
      return { type, ...readStatus(m, 'status') }
    case 'value': {
      const out = { type, requestId: whole(m.requestId, 'requestId'), id: whole(m.id, 'id'), pointer: readPointer(m.pointer, 'pointer') }
      return m.value === undefined ? out : { ...out, value: readJson(m.value, 'value') }
    }
    case 'touching':
      if ('entries' in m) {
        return {
          type,
          requestId: whole(m.requestId, 'requestId'),
          pointer: readPointer(m.pointer, 'pointer'),
          entries: list(m.entries, 'entries').map((e, i) => {
            if (!isRecord(e)) throw invalid(`entries[${i}] is an object`)
            return { id: whole(e.id, `entries[${i}].id`), patch: readPatch(e.patch, `entries[${i}].patch`) }
          }),
        }
      }
      return { type, requestId: whole(m.requestId, 'requestId'), pointer: readPointer(m.pointer, 'pointer') }
    case 'exported':
      return { type, requestId: whole(m.requestId, 'requestId'), log: readExportedLog(m.log) }
    case 'error': {
      const out = { type, code: str(m.code, 'code'), message: str(m.message, 'message') }
      return m.requestId === undefined ? out : { ...out, requestId: whole(m.requestId, 'requestId') }
    }
    case 'jump':
    case 'toggle':
      return { type, id: whole(m.id, 'id') }
    case 'reorder':
      return { type, id: whole(m.id, 'id'), beforeId: m.beforeId === null ? null : whole(m.beforeId, 'beforeId') }
    case 'live':
    case 'commit':
    case 'reset':
      return { type }
    case 'pause':
      if (typeof m.paused !== 'boolean') throw invalid('paused is a boolean')
      return { type, paused: m.paused }
    case 'export':
      return { type, requestId: whole(m.requestId, 'requestId') }
    case 'import':
      return { type, requestId: whole(m.requestId, 'requestId'), log: readExportedLog(m.log) }
    case 'valueAt':
      return { type, requestId: whole(m.requestId, 'requestId'), id: whole(m.id, 'id'), pointer: readPointer(m.pointer, 'pointer') }
    default:
      throw invalid(`unknown message type ${JSON.stringify(String(type)).slice(0, 80)}`)
  }
}

const PANEL_TYPES = new Set<string>(['connect', 'jump', 'live', 'toggle', 'reorder', 'commit', 'reset', 'pause', 'export', 'import', 'touching', 'valueAt'])

/** A panel's command (what an inspector accepts), validated; an inspector's message here is refused. */
export function validatePanelMessage(m: unknown): PanelMessage {
  const out = validateMessage(m)
  // 'touching' is both a request (pointer) and a reply (entries): only the request is the panel's.
  if (!PANEL_TYPES.has(out.type) || 'entries' in out) throw invalid(`'${out.type}' is not a panel's command`)
  return out as PanelMessage
}

/** An inspector's message (what a panel accepts), validated; a panel's command here is refused. */
export function validateInspectorMessage(m: unknown): InspectorMessage {
  const out = validateMessage(m)
  if (PANEL_TYPES.has(out.type) && !('entries' in out)) throw invalid(`'${out.type}' is not an inspector's message`)
  return out as InspectorMessage
}

/** Validates an exported log (`inspector.export()`), e.g. a file a user picked. */
export function readExportedLog(log: unknown): ExportedLog {
  if (!isRecord(log)) throw invalid('an exported log is an object')
  if (log.format !== 'patchdb-log') throw invalid(`format is 'patchdb-log', got ${JSON.stringify(log.format)?.slice(0, 80)}`)
  if (log.version !== 1) throw invalid(`version 1 is the only log version this reads, got ${JSON.stringify(log.version)?.slice(0, 80)}`)
  const base = readDump(log.base, 'base')
  const revisions = list(log.revisions, 'revisions').map((r, i): ExportedRevision => {
    const at = `revisions[${i}]`
    if (!isRecord(r)) throw invalid(`${at} is an object`)
    const out = {
      id: whole(r.id, `${at}.id`),
      patch: readPatch(r.patch, `${at}.patch`),
      time: whole(r.time, `${at}.time`),
      origin: origin(r.origin, `${at}.origin`),
      skipped: bool(r.skipped, `${at}.skipped`),
    }
    return r.label === undefined ? out : { ...out, label: str(r.label, `${at}.label`) }
  })
  return { format: 'patchdb-log', version: 1, base, revisions }
}

function readEntry(e: unknown, at: string): EntryMessage {
  if (!isRecord(e)) throw invalid(`${at} is an object`)
  const out: { -readonly [K in keyof EntryMessage]: EntryMessage[K] } = {
    id: whole(e.id, `${at}.id`),
    patch: readPatch(e.patch, `${at}.patch`),
    inverse: readPatch(e.inverse, `${at}.inverse`),
    time: whole(e.time, `${at}.time`),
    origin: origin(e.origin, `${at}.origin`),
    skipped: bool(e.skipped, `${at}.skipped`),
  }
  if (e.label !== undefined) out.label = str(e.label, `${at}.label`)
  if (e.stack !== undefined) out.stack = str(e.stack, `${at}.stack`)
  if (e.error !== undefined) {
    if (!isRecord(e.error)) throw invalid(`${at}.error is an object`)
    out.error = { code: str(e.error.code, `${at}.error.code`), message: str(e.error.message, `${at}.error.message`) }
  }
  if (e.calls !== undefined) out.calls = readCalls(e.calls, `${at}.calls`)
  return out
}

function readCalls(c: unknown, at: string): RenderCalls {
  if (!isRecord(c)) throw invalid(`${at} is an object`)
  if (typeof c.ms !== 'number' || !(c.ms >= 0) || c.ms === Infinity) throw invalid(`${at}.ms is a number >= 0`)
  return {
    watchers: whole(c.watchers, `${at}.watchers`),
    ms: c.ms,
    pointers: list(c.pointers, `${at}.pointers`).map((p, i) => {
      if (!isRecord(p)) throw invalid(`${at}.pointers[${i}] is an object`)
      const out: PointerCalls = { pointer: readPointer(p.pointer, `${at}.pointers[${i}].pointer`), calls: whole(p.calls, `${at}.pointers[${i}].calls`) }
      return p.labels === undefined ? out : { ...out, labels: readLabels(p.labels, `${at}.pointers[${i}].labels`) }
    }),
  }
}

function readLabels(v: unknown, at: string): LabelCalls[] {
  return list(v, at).map((l, i) => {
    if (!isRecord(l)) throw invalid(`${at}[${i}] is an object`)
    return { label: str(l.label, `${at}[${i}].label`), calls: whole(l.calls, `${at}[${i}].calls`) }
  })
}

function readStatus(s: unknown, at: string): StatusFields {
  if (!isRecord(s)) throw invalid(`${at} is an object`)
  return { head: whole(s.head, `${at}.head`), viewing: s.viewing === null ? null : whole(s.viewing, `${at}.viewing`), paused: bool(s.paused, `${at}.paused`) }
}

function version(v: unknown): typeof PROTOCOL_VERSION {
  if (v !== PROTOCOL_VERSION) throw invalid(`protocol version ${PROTOCOL_VERSION} is the only one spoken here, got ${JSON.stringify(v)?.slice(0, 40)}`)
  return v
}

const ORIGINS: readonly EntryOrigin[] = ['local', 'server', 'devtools']
function origin(v: unknown, at: string): EntryOrigin {
  if (!ORIGINS.includes(v as EntryOrigin)) throw invalid(`${at} is one of ${ORIGINS.join(', ')}`)
  return v as EntryOrigin
}

function whole(v: unknown, at: string): number {
  if (!isWhole(v)) throw invalid(`${at} is a whole number >= 0`)
  return v
}
function str(v: unknown, at: string): string {
  if (!isString(v)) throw invalid(`${at} is a string (at most 100,000 characters)`)
  return v
}
function bool(v: unknown, at: string): boolean {
  if (typeof v !== 'boolean') throw invalid(`${at} is a boolean`)
  return v
}
function list(v: unknown, at: string): readonly unknown[] {
  if (!Array.isArray(v)) throw invalid(`${at} is an array`)
  return v
}
