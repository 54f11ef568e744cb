import { brandError, MAX_DEPTH, parsePointer, type JsonValue, type Operation, type Patch, type PatchErrorCode } from 'patchdb'

/*
 * The sync wire protocol: one discriminated union per direction, validated at the boundary.
 * docs/protocol.md describes it for implementers; this file is what both ends run.
 *
 * Frames are JSON text or CBOR binary (cbor-x, plain maps, no record extension; loaded only
 * where CBOR is spoken, see cbor-frames.ts). A server answers in the encoding of the
 * client's `hello`. Every frame is one message object whose `type` names it. The version
 * is negotiated once, by `hello` and `welcome`.
 */

/** The protocol version this code speaks. A `hello` with another `v` is closed with CLOSE.VERSION. */
export const PROTOCOL_VERSION = 1

/** The WebSocket close codes a server uses, with the reason text in the close frame. */
export const CLOSE = {
  /** The server shuts down (standard 1001). Reconnect with backoff. */
  GOING_AWAY: 1001,
  /** A frame over `limits.maxFrame` bytes (standard 1009; the ws package sends it). */
  TOO_BIG: 1009,
  /** The server failed (standard 1011). */
  SERVER_ERROR: 1011,
  /** Not a message of this protocol: unparsable, unknown type, a field of the wrong shape. */
  MALFORMED: 4000,
  /** `hello.v` is a version the server does not speak. */
  VERSION: 4001,
  /** A message before `hello`, or a second `hello`. */
  SEQUENCE: 4002,
  /** A mutation with more than `limits.maxOps` operations. */
  TOO_MANY_OPS: 4003,
  /** More than `limits.maxMessages` messages in a second. */
  FLOOD: 4004,
  /** Another connection said `hello` with this client id: the newer one wins. */
  REPLACED: 4005,
  /** No frame and no pong within two heartbeat intervals (sent when the socket still takes a close frame). */
  TIMEOUT: 4006,
  /** The client's grants or identity ended (the server revoked it). */
  REVOKED: 4007,
} as const
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE]

/** Why a mutation (or lease, or release) was refused; nothing of it was applied. */
export type RejectCode =
  | PatchErrorCode // the patch did not apply to the server's document (TEST_FAILED: a precondition failed)
  | 'FORBIDDEN' // authorize.write refused an operation, or it touches a path the client cannot read
  | 'LEASED' // an operation (or a lease) falls under another client's lease
  | 'NOT_LEASED' // a release of a lease this client does not hold
  | 'UNAVAILABLE' // the server's log could not take the revision (a disk error): retry later
  | 'TOO_BIG' // the document would grow past the server's limits.maxDocument

/** What a server accepts, told in `welcome` so a client can refuse locally what would be closed. */
export interface Limits {
  /** Bytes per frame (CBOR) or UTF-16 code units per frame (JSON text). */
  maxFrame: number
  /** Operations per mutation. */
  maxOps: number
  /** Messages a client may send per second (a burst of twice this is allowed). */
  maxMessages: number
  /** Milliseconds between heartbeats; silence for two of them means the other end is dead. */
  heartbeat: number
  /** The longest lease ttl in milliseconds. */
  maxLeaseTtl: number
}

/** Client ids: 8 to 64 characters of [A-Za-z0-9_-], chosen at random by the client (128 bits or more). */
export const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/

// ---------------------------------------------------------------------------------------
// Client → server

/** First message of a connection. `resume`: the server id and revision the client already has. */
export interface Hello {
  type: 'hello'
  v: number
  client: string
  resume?: { server: string; id: number }
}
/** An optimistic write: `n` increases per client (across connections); applied at most once. */
export interface Mutation {
  type: 'mutation'
  n: number
  patch: Patch
}
/** Exclusive write access to the subtree at `path` for `ttl` ms; numbered like mutations. */
export interface Lease {
  type: 'lease'
  n: number
  path: string
  ttl: number
}
export interface Release {
  type: 'release'
  n: number
  path: string
}
/** The client saw a gap: send the revisions from `from` on (or a dump). */
export interface Resend {
  type: 'resend'
  from: number
}
export interface ClientHeartbeat {
  type: 'heartbeat'
}
export type ClientMessage = Hello | Mutation | Lease | Release | Resend | ClientHeartbeat

// ---------------------------------------------------------------------------------------
// Server → client

/**
 * Answer to `hello`. `server` identifies the history (a reset or different backend has
 * another id); `id` is the server's revision; `applied` the highest mutation number of
 * this client id already applied (pending mutations up to it are done). A `dump` or the
 * `revision`s after the client's `resume.id` follow.
 */
export interface Welcome {
  type: 'welcome'
  v: number
  server: string
  id: number
  applied: number
  /** The pointers this client may read ('' is everything); dumps and revisions hold only these. */
  grants: string[]
  limits: Limits
}
/** The client's whole view at revision `id`: objects down to each grant, the value at each grant. */
export interface DumpMessage {
  type: 'dump'
  id: number
  value: JsonValue
}
/** Revision `id`, filtered and scoped to the client's grants (possibly `[]`: ids still step by one). */
export interface RevisionMessage {
  type: 'revision'
  id: number
  patch: Patch
}
/**
 * Mutation (or lease, release) `n` is applied: it is in revision `id`, which follows this
 * frame on the same connection unless the client already has it. `expires`: a lease's end
 * (ms since the epoch).
 */
export interface Ack {
  type: 'ack'
  n: number
  id: number
  expires?: number
}
export interface Reject {
  type: 'reject'
  n: number
  code: RejectCode
  message: string
}
export interface ServerHeartbeat {
  type: 'heartbeat'
  id: number
}
/** Sent right before the server closes the connection: the same code and reason as the close frame. */
export interface ErrorMessage {
  type: 'error'
  code: CloseCode
  reason: string
}
export type ServerMessage = Welcome | DumpMessage | RevisionMessage | Ack | Reject | ServerHeartbeat | ErrorMessage

export type Message = ClientMessage | ServerMessage

// ---------------------------------------------------------------------------------------
// Validation

/** A frame that breaks the protocol: `code` is the close code to end the connection with. */
export class ProtocolError extends Error {
  static {
    brandError(this, 'ProtocolError')
  }
  override readonly name = 'ProtocolError'
  constructor(
    readonly code: CloseCode,
    message: string,
  ) {
    super(message)
  }
}

const malformed = (why: string): never => {
  throw new ProtocolError(CLOSE.MALFORMED, why)
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
/** Pointer segments that could reach a prototype: refused in every pointer either end takes. */
export const UNSAFE = new Set(['__proto__', 'constructor', 'prototype'])

function whole(m: Record<string, unknown>, key: string): number {
  const v = m[key]
  return isWhole(v) ? v : malformed(`${m.type}.${key} must be a whole number >= 0`)
}

function text(m: Record<string, unknown>, key: string, max: number): string {
  const v = m[key]
  return typeof v === 'string' && v.length <= max ? v : malformed(`${m.type}.${key} must be a string of at most ${max} characters`)
}

/** A pointer with no segment that could reach a prototype. */
function pointer(v: unknown, at: string): string {
  if (typeof v !== 'string') return malformed(`${at} must be a JSON pointer string`)
  let segs: readonly string[]
  try {
    segs = parsePointer(v)
  } catch (e) {
    return malformed(`${at} is not a JSON pointer: ${(e as Error).message}`)
  }
  for (const s of segs) if (UNSAFE.has(s)) malformed(`${at} has the unsafe segment '${s}'`)
  return v
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test'])

/**
 * A patch from the wire: an array of at most `maxOps` operations, each rebuilt with only its
 * own fields. Values are checked (plain JSON, depth) by the store that applies them.
 */
export function readPatch(p: unknown, maxOps: number, at = 'patch'): Operation[] {
  if (!Array.isArray(p)) return malformed(`${at} must be an array of operations`)
  if (p.length > maxOps) throw new ProtocolError(CLOSE.TOO_MANY_OPS, `${at} has ${p.length} operations, over the limit of ${maxOps}`)
  const out: Operation[] = []
  for (let i = 0; i < p.length; i++) {
    const o: unknown = p[i]
    const where = `${at}[${i}]`
    if (!isRecord(o)) return malformed(`${where} must be an operation object`)
    const op = o.op
    if (typeof op !== 'string' || !OPS.has(op)) return malformed(`${where}.op must be one of add, remove, replace, move, copy, test`)
    const path = pointer(o.path, `${where}.path`)
    if (op === 'remove') out.push({ op, path })
    else if (op === 'move' || op === 'copy') out.push({ op, from: pointer(o.from, `${where}.from`), path })
    else if (!('value' in o) || o.value === undefined) return malformed(`${where}.value is missing`)
    else out.push({ op: op as 'add' | 'replace' | 'test', path, value: o.value as JsonValue })
  }
  return out
}

/**
 * A message from a client, checked field by field and rebuilt, so nothing the sender added
 * travels further. Throws ProtocolError with the close code to use.
 */
export function readClientMessage(m: unknown, limits: Pick<Limits, 'maxOps'>): ClientMessage {
  if (!isRecord(m)) return malformed('a message is an object with a type')
  switch (m.type) {
    case 'hello': {
      const v = m.v
      if (!isWhole(v)) return malformed('hello.v must be a whole number')
      if (v !== PROTOCOL_VERSION) throw new ProtocolError(CLOSE.VERSION, `protocol version ${v} is not supported (this server speaks ${PROTOCOL_VERSION})`)
      const client = m.client
      if (typeof client !== 'string' || !CLIENT_ID.test(client) || UNSAFE.has(client)) return malformed('hello.client must be 8 to 64 characters of [A-Za-z0-9_-]')
      if (m.resume === undefined) return { type: 'hello', v, client }
      if (!isRecord(m.resume)) return malformed('hello.resume must be { server, id }')
      const resume = { server: text(m.resume, 'server', 128), id: whole(m.resume, 'id') }
      return { type: 'hello', v, client, resume }
    }
    case 'mutation':
      return { type: 'mutation', n: positive(m), patch: readPatch(m.patch, limits.maxOps) }
    case 'lease':
      return { type: 'lease', n: positive(m), path: pointer(m.path, 'lease.path'), ttl: whole(m, 'ttl') }
    case 'release':
      return { type: 'release', n: positive(m), path: pointer(m.path, 'release.path') }
    case 'resend':
      return { type: 'resend', from: whole(m, 'from') }
    case 'heartbeat':
      return { type: 'heartbeat' }
    default:
      return malformed(`unknown message type ${typeof m.type === 'string' ? JSON.stringify(m.type.slice(0, 40)) : typeof m.type}`)
  }
}

/** Mutation numbers start at 1 (0 means "none applied yet" in `welcome.applied`). */
function positive(m: Record<string, unknown>): number {
  const n = whole(m, 'n')
  return n > 0 ? n : malformed(`${m.type}.n must be >= 1`)
}

const REJECT_CODES = new Set<string>(['FORBIDDEN', 'LEASED', 'NOT_LEASED', 'UNAVAILABLE', 'TOO_BIG'])
const CLOSE_CODES = new Set<number>(Object.values(CLOSE))

function grants(v: unknown): string[] {
  if (!Array.isArray(v) || v.length > 10_000) return malformed('welcome.grants must be an array of pointers')
  return v.map((g, i) => pointer(g, `welcome.grants[${i}]`))
}

function limitsOf(v: unknown): Limits {
  if (!isRecord(v)) return malformed('welcome.limits must be an object')
  const n = (k: string) => whole(v, k)
  return { maxFrame: n('maxFrame'), maxOps: n('maxOps'), maxMessages: n('maxMessages'), heartbeat: n('heartbeat'), maxLeaseTtl: n('maxLeaseTtl') }
}

/**
 * A message from a server, checked like a client's (a client trusts the network no more
 * than a server does). Values in dumps and revisions are checked by the client's store.
 */
export function readServerMessage(m: unknown, limits: Pick<Limits, 'maxOps'> = { maxOps: Number.MAX_SAFE_INTEGER }): ServerMessage {
  if (!isRecord(m)) return malformed('a message is an object with a type')
  switch (m.type) {
    case 'welcome': {
      const v = whole(m, 'v')
      if (v !== PROTOCOL_VERSION) throw new ProtocolError(CLOSE.VERSION, `protocol version ${v} is not supported (this client speaks ${PROTOCOL_VERSION})`)
      return { type: 'welcome', v, server: text(m, 'server', 128), id: whole(m, 'id'), applied: whole(m, 'applied'), grants: grants(m.grants), limits: limitsOf(m.limits) }
    }
    case 'dump':
      if (!('value' in m) || m.value === undefined) return malformed('dump.value is missing')
      return { type: 'dump', id: whole(m, 'id'), value: m.value as JsonValue }
    case 'revision':
      return { type: 'revision', id: whole(m, 'id'), patch: readPatch(m.patch, limits.maxOps, 'revision.patch') }
    case 'ack': {
      const ack: Ack = { type: 'ack', n: positive(m), id: whole(m, 'id') }
      if (m.expires !== undefined) ack.expires = whole(m, 'expires')
      return ack
    }
    case 'reject': {
      const code = text(m, 'code', 64)
      if (!REJECT_CODES.has(code) && !/^[A-Z_]+$/.test(code)) return malformed('reject.code must be a code')
      return { type: 'reject', n: positive(m), code: code as RejectCode, message: text(m, 'message', 10_000) }
    }
    case 'heartbeat':
      return { type: 'heartbeat', id: whole(m, 'id') }
    case 'error': {
      const code = m.code
      if (typeof code !== 'number' || !CLOSE_CODES.has(code)) return malformed('error.code must be a close code')
      return { type: 'error', code: code as CloseCode, reason: text(m, 'reason', 123) }
    }
    default:
      return malformed(`unknown message type ${typeof m.type === 'string' ? JSON.stringify(m.type.slice(0, 40)) : typeof m.type}`)
  }
}

// ---------------------------------------------------------------------------------------
// Frames

export type Encoding = 'json' | 'cbor'

/**
 * CBOR bytes to and from values (cbor-frames.ts holds the one made with cbor-x). Passed in,
 * so that a client speaking JSON never loads cbor-x: it is most of a client's bundle.
 */
export interface CborCodec {
  encode(message: unknown): Uint8Array
  /** Maps as Map, keys exactly as sent (fromCbor turns them into plain objects). */
  decode(data: Uint8Array): unknown
}

/** One message as a frame: a string (JSON text frame) or bytes (CBOR binary frame, with `cbor`). */
export function encodeWith(message: Message, encoding: Encoding, cbor: CborCodec | null): string | Uint8Array {
  if (encoding === 'json') return JSON.stringify(message)
  if (cbor === null) throw new TypeError('CBOR frames need the CBOR codec (cbor-frames.ts)')
  return cbor.encode(message)
}

/**
 * The message object of a frame, before validation (readClientMessage / readServerMessage).
 * `maxFrame` bounds what is parsed; the ws package's `maxPayload` should refuse it earlier.
 * Without `cbor`, a binary frame is malformed: this end speaks JSON only.
 */
export function decodeWith(data: string | Uint8Array, maxFrame: number, cbor: CborCodec | null): unknown {
  const size = typeof data === 'string' ? data.length : data.byteLength
  if (size > maxFrame) throw new ProtocolError(CLOSE.TOO_BIG, `a frame of ${size} is over the limit of ${maxFrame}`)
  if (typeof data === 'string') {
    try {
      return JSON.parse(data) // own properties only: a "__proto__" key is a plain key here
    } catch (e) {
      return malformed(`not JSON: ${(e as Error).message.slice(0, 100)}`)
    }
  }
  if (cbor === null) return malformed('a binary frame to an end that speaks JSON')
  let raw: unknown
  try {
    raw = cbor.decode(data)
  } catch (e) {
    return malformed(`not CBOR: ${(e as Error).message.slice(0, 100)}`)
  }
  return fromCbor(raw)
}

/**
 * A decoded CBOR value as plain JSON: maps become objects of string keys (a `__proto__`
 * key is defined as an own property, never a prototype), and what JSON has no form for
 * (undefined, bytes, tags, bigints, non-string keys) is refused. Depth is bounded by the
 * document's limit plus the message's own nesting, so no input exhausts the stack.
 */
function fromCbor(raw: unknown): unknown {
  const limit = MAX_DEPTH + 8
  const convert = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v
    if (typeof v === 'number') return Number.isFinite(v) ? v : malformed('a CBOR number that JSON cannot hold')
    if (depth > limit) return malformed(`nested more than ${limit} levels`)
    if (Array.isArray(v)) return v.map((x) => convert(x, depth + 1))
    if (v instanceof Map) {
      const out: Record<string, unknown> = {}
      for (const [k, x] of v) {
        if (typeof k !== 'string') return malformed('a CBOR map key that is not a string')
        Object.defineProperty(out, k, { value: convert(x, depth + 1), enumerable: true, writable: true, configurable: true })
      }
      return out
    }
    return malformed(`a CBOR ${v === undefined ? 'undefined' : typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v} that JSON has no form for`)
  }
  return convert(raw, 0)
}
