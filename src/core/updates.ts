import { PatchError } from './errors'
import { deepEqual } from './json'
import type { Patch } from './patch'

/** What `update` did with a message from a server. */
export type UpdateStatus =
  | 'applied' // the store moved forward
  | 'duplicate' // an id the store already has from the server (a dump: with the same document): ignored
  | 'gap' // an id past `revision + 1`: not applied; ask the server for a dump
  | 'stale' // a dump older than the store, or of its current id with another document: refused
  | 'diverged' // a server revision whose id a local write took: not applied; the store must be rebuilt from a dump

export interface UpdateResult {
  status: UpdateStatus
  /** The store's revision after the call. */
  revision: number
  /** With 'gap': the id the store needs next. */
  expected?: number
}

/** A message read once into a record of its own; `at` is its place in the caller's batch. */
export type Message = { id: number; at: number } & ({ patch: Patch; value?: undefined } | { patch?: undefined; value: unknown })

/** What a batch comes to, decided before anything is applied. */
export interface Plan {
  /** Messages to apply, in order: each revision's id is one past the one before. */
  apply: Message[]
  /** The status when `apply` is empty, or 'gap' when the batch stops at one. */
  status: UpdateStatus
  expected?: number
}

/** Reads `updates` (one message or an array) into records: a bad message gives a PatchError. */
export function readMessages(updates: unknown): Message[] {
  try {
    const list: unknown[] = Array.isArray(updates) ? Array.from(updates as unknown[]) : [updates]
    return list.map(readMessage)
  } catch (e) {
    if (e instanceof PatchError) throw e
    throw new PatchError('ARGUMENT_INVALID', `reading the update threw: ${e instanceof Error ? e.message : String(e)}`, -1, '', { cause: e })
  }
}

function readMessage(u: unknown, at: number): Message {
  const bad = (why: string): never => {
    throw new PatchError('ARGUMENT_INVALID', `update message ${at}: ${why}`)
  }
  if (typeof u !== 'object' || u === null) return bad('not a revision { id, patch } or a dump { id, value }')
  const m = u as Record<string, unknown>
  const id = m.id
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return bad(`an update needs a whole-number id >= 0, got ${String(id)}`)
  if ('patch' in m) return { id, at, patch: m.patch as Patch }
  if (!('value' in m)) return bad('not a revision { id, patch } or a dump { id, value }')
  return { id, at, value: m.value }
}

/**
 * Orders a batch by id (equal ids: the first one counts) and decides what applies. A
 * store at `id` whose server-confirmed revision is `confirmed` (ids above it are local
 * writes) takes a revision `id + 1`, and a dump newer than itself. The batch stops at the
 * first message it cannot take: before a gap, what fits is applied; a stale dump or a
 * diverged revision can only come first in id order, so with them nothing is applied.
 */
export function plan(messages: Message[], id: number, confirmed: number, value: unknown): Plan {
  const sorted = messages.slice().sort((a, b) => a.id - b.id || a.at - b.at)
  const apply: Message[] = []
  let at = id
  let status: UpdateStatus = 'duplicate'
  for (let i = 0; i < sorted.length; i++) {
    const m = sorted[i]!
    if (i > 0 && m.id === sorted[i - 1]!.id) continue
    if (m.patch !== undefined) {
      if (m.id <= at) {
        if (m.id <= confirmed) continue
        return { apply: [], status: 'diverged' }
      }
      if (m.id > at + 1) return { apply, status: 'gap', expected: at + 1 }
    } else if (m.id < at) {
      return { apply: [], status: 'stale' }
    } else if (m.id === at) {
      // Only before anything is staged (ids only grow): compare with the store's document.
      if (equalInput(value, m.value)) continue
      return { apply: [], status: 'stale' }
    }
    apply.push(m)
    at = m.id
    status = 'applied'
  }
  return { apply, status }
}

/** deepEqual on a caller's value, which may throw (a getter, a Proxy). */
function equalInput(mine: unknown, theirs: unknown): boolean {
  try {
    return deepEqual(mine, theirs)
  } catch (e) {
    throw new PatchError('VALUE_INVALID', `reading the dump threw: ${e instanceof Error ? e.message : String(e)}`, -1, '', { cause: e })
  }
}
