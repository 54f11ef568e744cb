import { type JsonValue, type Operation, type Patch, type Store } from 'patchdb'
import type { PendingMutation } from './client-pending'

/**
 * What the client must remember to resume: the server's id and revision it last saw, the
 * server's document at that revision (`base`: pending mutations are rebased onto it), its
 * own id, the next mutation number, and the mutations not yet acknowledged.
 */
export interface SyncSnapshot {
  clientId: string
  server: string | null
  /** The grants the base is projected on (welcome.grants of the last dump). */
  grants: string[] | null
  revision: number
  base: JsonValue
  next: number
  pending: PendingMutation[]
}

/**
 * The client's sync state, mirrored into a `local` store when one is given (a
 * `patchdb/browser` or `patchdb/node` store), so that a reload finds its pending writes and
 * resumes where it was. The mirror is written with patches, like any store: a server
 * revision is its patch moved under `/base`, a new mutation one `add` to `/pending/-`.
 */
export class SyncState {
  constructor(
    private s: SyncSnapshot,
    private readonly local: Store<JsonValue> | null,
  ) {
    if (local !== null && !sameAsMirror(local.get(), s)) local.set('', s as unknown as JsonValue)
  }

  /** The state a local store holds, or null when it holds none (or one that is damaged: `problem` says why). */
  static read(local: Store<JsonValue>): { snapshot: SyncSnapshot | null; problem: string | null } {
    const v = local.get() as unknown
    if (v === undefined || (typeof v === 'object' && v !== null && Object.keys(v).length === 0)) return { snapshot: null, problem: null }
    const problem = checkSnapshot(v)
    // A copy of the top level, which this class updates in place (the store's value is frozen).
    return problem === null ? { snapshot: { ...(v as SyncSnapshot) }, problem } : { snapshot: null, problem }
  }

  get clientId(): string {
    return this.s.clientId
  }
  get server(): string | null {
    return this.s.server
  }
  get grants(): string[] | null {
    return this.s.grants
  }
  get revision(): number {
    return this.s.revision
  }
  get base(): JsonValue {
    return this.s.base
  }
  get pending(): readonly PendingMutation[] {
    return this.s.pending
  }

  /** Numbers a new local write and queues it. */
  push(patch: Patch): PendingMutation {
    const m: PendingMutation = { n: this.s.next, patch }
    this.s.next++
    this.s.pending = [...this.s.pending, m]
    this.local?.apply([
      { op: 'add', path: '/pending/-', value: m as unknown as JsonValue },
      { op: 'replace', path: '/next', value: this.s.next },
    ])
    return m
  }

  /** Takes a number for a request that is not a mutation (a lease): numbers are shared, and never reused. */
  reserve(): number {
    const n = this.s.next++
    this.local?.apply([{ op: 'replace', path: '/next', value: this.s.next }])
    return n
  }

  /** A server revision: the base moves on, and the pending list becomes `pending`. */
  advance(id: number, patch: Patch, base: JsonValue, pending: readonly PendingMutation[]): void {
    const was = this.s.pending
    this.s.revision = id
    this.s.base = base
    this.s.pending = pending.slice()
    if (this.local === null) return
    const ops: Operation[] = patch.map((op) => under('/base', op))
    ops.push({ op: 'replace', path: '/revision', value: id })
    ops.push(...pendingOps(was, pending))
    this.local.apply(ops)
  }

  /** A dump, from this server or a new one: the history restarts there. */
  reset(server: string, grants: string[] | null, id: number, base: JsonValue, pending: readonly PendingMutation[]): void {
    this.s = { ...this.s, server, grants, revision: id, base, pending: pending.slice() }
    this.local?.set('', this.s as unknown as JsonValue)
  }

  /**
   * Swaps the base for an equal value (the store's own nodes, shared with what it shows):
   * memory and the next diff then cost only what changes. Nothing to write: it is equal.
   */
  share(base: JsonValue): void {
    this.s.base = base
  }

  /** Drops pending mutations (refused, or known to be applied). */
  setPending(pending: readonly PendingMutation[]): void {
    const was = this.s.pending
    this.s.pending = pending.slice()
    const ops = pendingOps(was, pending)
    if (ops.length > 0) this.local?.apply(ops)
  }
}

/** The list `was` turned into `now` where `now` is `was` minus its head: one remove per mutation, else a replace. */
function pendingOps(was: readonly PendingMutation[], now: readonly PendingMutation[]): Operation[] {
  const dropped = was.length - now.length
  if (dropped >= 0 && now.every((m, i) => m === was[i + dropped])) {
    return Array.from({ length: dropped }, () => ({ op: 'remove', path: '/pending/0' }) as const)
  }
  return [{ op: 'replace', path: '/pending', value: now as unknown as JsonValue }]
}

function under(prefix: string, op: Operation): Operation {
  return op.op === 'move' || op.op === 'copy' ? { ...op, from: prefix + op.from, path: prefix + op.path } : { ...op, path: prefix + op.path }
}

function sameAsMirror(v: unknown, s: SyncSnapshot): boolean {
  const m = v as Partial<SyncSnapshot> | undefined
  return m?.clientId === s.clientId && m.revision === s.revision && m.next === s.next && m.server === s.server
}

/** Why a stored state cannot be resumed from, or null. Storage is untrusted: every field is checked. */
function checkSnapshot(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not an object'
  const s = v as Record<string, unknown>
  if (typeof s.clientId !== 'string' || s.clientId.length === 0 || s.clientId.length > 128) return 'clientId is not a string of 1 to 128 characters'
  if (s.server !== null && typeof s.server !== 'string') return 'server is neither null nor a string'
  if (s.grants !== null && !(Array.isArray(s.grants) && s.grants.every((g) => typeof g === 'string'))) return 'grants is neither null nor a list of pointers'
  if (!isCount(s.revision)) return 'revision is not a whole number >= 0'
  if (!isCount(s.next) || s.next < 1) return 'next is not a whole number >= 1'
  if (!('base' in s)) return 'base is missing'
  if (!Array.isArray(s.pending)) return 'pending is not a list'
  let last = 0
  for (const m of s.pending as unknown[]) {
    const p = m as Partial<PendingMutation> | null
    if (typeof p !== 'object' || p === null || !isCount(p.n) || p.n <= last || p.n >= (s.next as number) || !Array.isArray(p.patch)) {
      return 'pending holds something other than mutations { n, patch } numbered in order below next'
    }
    last = p.n
  }
  return null
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0
