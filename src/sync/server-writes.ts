import type { Operation } from 'patchdb'
import type { Lease, Mutation, RejectCode, Release } from './protocol'
import type { Grants } from './server-grants'
import { expiredLeaseOps, leasePath, liveLeases, overlaps, type Meta } from './server-meta'

/** A write the server will not apply: the reject frame's code and message. */
export class Refusal {
  constructor(
    readonly code: RejectCode,
    readonly message: string,
  ) {}
}

/** What a client may do: its grants, and the application's rules for its principal. */
export interface Rights {
  client: string
  grants: Grants
  /** `authorize.write` for this principal (true: allowed). */
  write(op: Operation): boolean
  /** Whether this principal may lease `path`. */
  lease(path: string): boolean
}

/**
 * The operations a client's mutation, lease or release comes to (without the record of its
 * number, which the caller adds), or a Refusal. Checked against the document's
 * bookkeeping at `now`; the caller appends them expecting the revision it read that at, so
 * nothing can change between the check and the write.
 */
export function planWrite(msg: Mutation | Lease | Release, rights: Rights, meta: Meta, key: string, now: number, maxTtl: number): { ops: Operation[]; expires?: number } {
  const others = liveLeases(meta, now).filter(([, l]) => l.client !== rights.client)
  switch (msg.type) {
    case 'mutation':
      msg.patch.forEach((op, i) => checkOperation(op, i, rights, others.map(([p]) => p)))
      return { ops: [...msg.patch] }
    case 'lease': {
      if (!rights.grants.readable(msg.path) || !rights.lease(msg.path)) throw new Refusal('FORBIDDEN', `no lease of ${msg.path || "''"} for this client`)
      const held = others.find(([p]) => overlaps(p, msg.path))
      if (held) throw new Refusal('LEASED', `${held[0] || "''"} is leased to another client until ${new Date(held[1].expires).toISOString()}`)
      const expires = now + Math.min(Math.max(msg.ttl, 1), maxTtl)
      return { ops: [...expiredLeaseOps(meta, key, now), { op: 'add', path: leasePath(key, msg.path), value: { client: rights.client, expires } }], expires }
    }
    case 'release': {
      const mine = liveLeases(meta, now).find(([p, l]) => p === msg.path && l.client === rights.client)
      if (!mine) throw new Refusal('NOT_LEASED', `this client holds no lease of ${msg.path || "''"}`)
      return { ops: [{ op: 'remove', path: leasePath(key, msg.path) }] }
    }
  }
}

/**
 * One operation of a mutation: its path (and `from`) must be readable, so a client can
 * neither learn nor move what it cannot see; the application's write rule must allow it
 * (`test` only reads); and it must not write under another client's lease.
 */
function checkOperation(op: Operation, i: number, rights: Rights, leased: string[]): void {
  const at = `operation ${i} (${op.op} ${op.path || "''"})`
  const from = op.op === 'move' || op.op === 'copy' ? op.from : undefined
  if (!rights.grants.readable(op.path) || (from !== undefined && !rights.grants.readable(from))) throw new Refusal('FORBIDDEN', `${at}: outside what this client may read`)
  if (op.op === 'test') return
  if (!rights.write(op)) throw new Refusal('FORBIDDEN', `${at}: refused by the write rule`)
  const written = op.op === 'move' ? [op.path, op.from] : [op.path]
  const lease = leased.find((p) => written.some((w) => overlaps(p, w)))
  if (lease !== undefined) throw new Refusal('LEASED', `${at}: ${lease || "''"} is leased to another client`)
}
