import { formatPointer, isAncestor, type JsonValue, type Operation } from 'patchdb'

/*
 * The server's bookkeeping lives in the document itself, under one reserved top-level key
 * (`$sync` by default), which no client can read or write. That is what makes it durable
 * *with* the store: a mutation and the record that it was applied are one revision, so a
 * crash or restart can never keep one without the other (exactly once), and leases and the
 * server id reopen with the store.
 *
 *   { server: string,                                   id of this history
 *     clients: { [clientId]: { n, id, owner } },        highest mutation applied, its revision,
 *                                                       the hash of the identity that wrote it
 *     leases:  { [pointer]: { client, expires } } }     ms since the epoch
 */

export interface ClientRecord {
  n: number
  id: number
  /** Hash of the identity of the principal that wrote with this client id: only it may use the id. */
  owner?: string
}
export interface LeaseRecord {
  client: string
  expires: number
}
export interface Meta {
  server: string
  clients: Record<string, ClientRecord>
  leases: Record<string, LeaseRecord>
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k)

/** The bookkeeping in `doc`, or undefined when it is missing or not of this shape. */
export function readMeta(doc: JsonValue, key: string): Meta | undefined {
  if (!isRecord(doc) || !own(doc, key)) return undefined
  const m = doc[key]
  if (!isRecord(m) || typeof m.server !== 'string' || !isRecord(m.clients) || !isRecord(m.leases)) return undefined
  return m as unknown as Meta
}

/** The last mutation of `client` the server applied, if any. */
export function clientRecord(meta: Meta, client: string): ClientRecord | undefined {
  if (!own(meta.clients, client)) return undefined
  const r = meta.clients[client]
  return isRecord(r) && isWhole(r.n) && isWhole(r.id) ? r : undefined
}

/** Where the bookkeeping of a client, or a lease, sits in the document. */
export const clientPath = (key: string, client: string) => formatPointer([key, 'clients', client])
export const leasePath = (key: string, pointer: string) => formatPointer([key, 'leases', pointer])

/** The operation that records mutation `n` of `client` (used by `owner`) as applied in revision `id`. */
export const recordOp = (key: string, client: string, n: number, id: number, owner: string): Operation => ({ op: 'add', path: clientPath(key, client), value: { n, id, owner } })

/** Whether the client id of `record` belongs to another identity than `owner` (records before owners belong to anyone). */
export const ownedByOther = (record: ClientRecord | undefined, owner: string) => typeof record?.owner === 'string' && record.owner !== owner

/** Whether `patch` records mutation `n` (or a later one) of the client whose record is at `path`. */
export function recorded(patch: readonly Operation[], path: string, n: number): boolean {
  return patch.some((op) => op.op === 'add' && op.path === path && isRecord(op.value) && isWhole(op.value.n) && op.value.n >= n)
}

/** The bookkeeping of a new history. */
export const initialMeta = (server: string): Meta => ({ server, clients: {}, leases: {} })

/** Pointers at, below or above one another: a write to one changes the other. */
export const overlaps = (a: string, b: string) => a === b || isAncestor(a, b) || isAncestor(b, a)

/** Leases in force at `now`, as [pointer, record]. */
export function liveLeases(meta: Meta, now: number): [string, LeaseRecord][] {
  const out: [string, LeaseRecord][] = []
  for (const [p, l] of Object.entries(meta.leases)) {
    if (isRecord(l) && typeof l.client === 'string' && isWhole(l.expires) && l.expires > now) out.push([p, l])
  }
  return out
}

/** The removal of every lease that has ended, so the bookkeeping does not grow with old ones. */
export function expiredLeaseOps(meta: Meta, key: string, now: number): Operation[] {
  const live = new Set(liveLeases(meta, now).map(([p]) => p))
  return Object.keys(meta.leases)
    .filter((p) => !live.has(p))
    .map((p) => ({ op: 'remove', path: leasePath(key, p) }))
}
