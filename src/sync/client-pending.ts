import { applyPatch, diff, effectsOfPatch, isAncestor, rebasePatch, type Effect, type JsonValue, type Patch } from 'patchdb'

/** A local write not yet acknowledged by the server. */
export interface PendingMutation {
  /** The client's mutation number: 1, 2, 3, ... per client id, never reused. */
  readonly n: number
  /** The patch, as rebased onto the latest server state known. */
  readonly patch: Patch
}

/** A pending mutation that no longer applies after a server revision, and why. */
export interface Dropped {
  readonly mutation: PendingMutation
  readonly reason: string
}

export interface Rebased {
  /** The server's new document with every kept mutation applied: what the client shows. */
  readonly value: unknown
  /** Still pending, in order (rebased where they were not sent yet). */
  readonly kept: PendingMutation[]
  /** Not applied now (kept, since the server's answer decides; see rebasePending). */
  readonly hidden: number[]
  readonly dropped: Dropped[]
}

export interface RebaseContext {
  /** Mutations the server applied: they are in `after` already. */
  done(n: number): boolean
  /** Mutations sent on this connection: the server applies them as sent, so they are not transformed. */
  sent(n: number): boolean
}

/** Effects of a patch, or null when they cannot be read (then nothing is transformed over them). */
function effects(patch: Patch, doc: unknown): Effect[] | null {
  try {
    return effectsOfPatch(patch, doc).flat()
  } catch {
    return null
  }
}

/**
 * Whether the server inserted or removed an element of an array that `fx` (a mutation's
 * effects) addresses inside: then the mutation's indices may name other elements now.
 */
function shifts(through: readonly Effect[], fx: readonly (readonly Effect[])[] | null): boolean {
  if (fx === null) return true
  const arrays = through.filter((e) => e.kind === 'insert' || e.kind === 'delete').map((e) => e.path.slice(0, -1))
  if (arrays.length === 0) return false
  return fx.some((op) => op.some((e) => arrays.some((a) => isAncestor(a, e.path))))
}

const tryApply = (doc: unknown, patch: Patch): { value: unknown } | null => {
  try {
    return applyPatch(doc, patch)
  } catch {
    return null
  }
}

/**
 * Rebases the pending mutations, made one after the other on top of `before` (the server
 * state the client's view was last built on), onto the server's new state `after`.
 * `concurrent` is the server's change from `before` to `after` when known (one revision),
 * else null: then it is taken as the diff of the two.
 *
 * - A mutation the server applied (`done`) is in `after` already: it is dropped from the list.
 * - A mutation already sent is applied as written, which is what the server will do with
 *   it; if it does not apply now it is `hidden` (not shown) until the server answers.
 * - A mutation not yet sent is transformed over the server's change (rebase.ts: indices
 *   shift, so an edit of row 3 follows the row when someone inserts above it). When both
 *   touch the same value it is kept as written only if the server inserted or removed no
 *   array element (its pointers still name the same places: the later write wins, as it
 *   will on the server); otherwise, or when it no longer applies at all, it is dropped.
 *
 * Each mutation applies whole or not at all: none is ever half-applied.
 */
export function rebasePending(before: unknown, concurrent: Patch | null, after: unknown, pending: readonly PendingMutation[], ctx: RebaseContext): Rebased {
  const kept: PendingMutation[] = []
  const hidden: number[] = []
  const dropped: Dropped[] = []
  let old = before
  let value = after
  // The server's change as it applies on top of the old chain so far; null: not known yet.
  let through: Effect[] | null = concurrent && effects(concurrent, before)
  for (const m of pending) {
    // The old chain: where the next mutation was made (one that did not apply is skipped).
    const oldNext = tryApply(old, m.patch)?.value ?? old
    if (ctx.done(m.n)) {
      old = oldNext
      through = null
      continue
    }
    through ??= effects(diff(old, value as JsonValue), old)
    let candidate: Patch | null = m.patch
    let rebased: Effect[] | null = null
    if (!ctx.sent(m.n)) {
      const fx = tryEffects(m.patch, old)
      const r = through && fx && rebasePatch(m.patch, fx, through)
      if (r) {
        candidate = r.patch
        rebased = r.through
      } else if (through === null || shifts(through, fx)) candidate = null
    }
    const next = candidate && tryApply(value, candidate)
    if (next) {
      kept.push(candidate === m.patch ? m : { n: m.n, patch: candidate! })
      value = next.value
    } else if (ctx.sent(m.n)) {
      kept.push(m)
      hidden.push(m.n)
    } else {
      dropped.push({ mutation: m, reason: candidate === null ? SHIFTED : GONE })
    }
    old = oldNext
    through = next ? rebased : null
  }
  return { value, kept, hidden, dropped }
}

function tryEffects(patch: Patch, doc: unknown): Effect[][] | null {
  try {
    return effectsOfPatch(patch, doc)
  } catch {
    return null
  }
}

const SHIFTED = 'the server inserted or removed array elements where it writes'
const GONE = "it does not apply to the server's document (a path is gone or a test failed)"
