import { applyPatch } from './apply'
import { PatchError } from './errors'
import { deepEqual, type JsonValue } from './json'
import type { Operation, Patch, Revision } from './patch'
import { isPrefix, isUnsafeSegment, parsePointer, toPointer, type Path, type Segments } from './pointer'
import { isTravel, showsView } from './probe'
import { effectsOfPatch, rebasePatch, type Effect } from './rebase'
import { scopePatch } from './scope'
import type { Store } from './store'

export interface UndoOptions {
  /**
   * What undo covers: one pointer or a list of pointers that do not overlap (default `''`,
   * the whole document). Only revisions that change a value inside are recorded, and only
   * their part inside is undone.
   */
  scope?: string | readonly Path[]
  /** Most steps kept; the oldest are forgotten first. Default 100. */
  limit?: number
  /**
   * Whether a new step joins the previous one (typing in a text field): asked only while
   * nothing else happened in between (no undo, redo, `checkpoint()` or rebase). See
   * `mergeWithin`.
   */
  merge?: (prev: UndoStep, next: UndoStep) => boolean
  /** A label for a new step ("add 'milk'"), shown by buttons. A merged step takes the newest label. */
  describe?: (step: { patch: Patch; inverse: Patch }) => string | undefined
  /**
   * Whether a revision that touches the scope is one of this user's steps (default: all).
   * The ones refused are "from elsewhere": not undoable, and the recorded steps are rebased
   * over them (see the README's undo section).
   */
  record?: (revision: Revision) => boolean
  /**
   * Where an error thrown by `describe`, `merge`, `record` or a `subscribe` listener goes;
   * the manager goes on as if the callback were absent. Default: `console.error`, plus the
   * host's `reportError` where it has one. Nothing is rethrown.
   */
  onError?: (error: unknown) => void
}

/** One undoable change. Pointers are absolute; `inverse` is what undo applies, `patch` what redo applies. */
export interface UndoStep {
  readonly patch: Patch
  readonly inverse: Patch
  readonly label: string | undefined
  /** `Date.now()` of the newest write in the step. */
  readonly time: number
  /** Changed elsewhere since: undoing (or redoing) it reports a conflict and drops it. */
  readonly stale: boolean
}

export type UndoResult =
  /** Applied as a new revision; `revision` is null when the store forwarded the write (a patchdb/browser follower). */
  | { status: 'applied'; step: UndoStep; revision: Revision | null }
  | { status: 'empty' }
  /** No longer applies: the step is dropped, the store is unchanged. */
  | { status: 'conflict'; step: UndoStep; reason: string; error?: unknown }

/** What a UI shows; the same object until one of its fields changes. */
export interface UndoState {
  readonly canUndo: boolean
  readonly canRedo: boolean
  readonly undoLabel: string | undefined
  readonly redoLabel: string | undefined
}

export interface UndoManager {
  undo(): UndoResult
  redo(): UndoResult
  canUndo(): boolean
  canRedo(): boolean
  /** The step `undo()` / `redo()` would apply next. */
  peekUndo(): UndoStep | undefined
  peekRedo(): UndoStep | undefined
  state(): UndoState
  /** Forgets every step (the document is not touched). */
  clear(): void
  /** Ends the current merge: the next write starts a new step (e.g. on a text field's blur). */
  checkpoint(): void
  /** Calls `fn` after each change of the steps. Returns unsubscribe. */
  subscribe(fn: () => void): () => void
  /** Stops recording and forgets every step. */
  dispose(): void
}

/**
 * A `merge` option for typing: a step joins the previous one when it comes within `ms`
 * of it and only replaces values the previous step also replaced.
 */
export function mergeWithin(ms: number): (prev: UndoStep, next: UndoStep) => boolean {
  return (prev, next) => {
    if (next.time - prev.time > ms) return false
    const replaced = new Set(prev.patch.filter((op) => op.op === 'replace').map((op) => op.path))
    return next.patch.every((op) => op.op === 'replace' && replaced.has(op.path))
  }
}

/**
 * Undo and redo for a store, limited to `scope`. Undo applies the step's inverse as a new
 * revision (history is never rewritten), redo applies the step again; neither is recorded
 * as a step. See UndoOptions.
 */
export function createUndoManager<T>(store: Store<T>, options: UndoOptions = {}): UndoManager {
  return new Manager(store as unknown as Store<JsonValue>, options)
}

/**
 * One direction of a step in one scope: the patch, relative to the scope's pointer, and
 * (only when `record` can refuse revisions, so rebasing can happen) its effects in the
 * document it applies to, which rebasing transforms without reading any document.
 */
interface Side {
  patch: Operation[]
  fx: Effect[][] | null
}

/** A step's change inside one scope: `undo` applies where `redo` leads, and back. */
interface Part {
  redo: Side
  undo: Side
}

/** Effects of a write that could not be read: they conflict with everything. */
const OPAQUE: Effect[][] = [[{ kind: 'write', path: [] }]]

class Step implements UndoStep {
  stale = false
  constructor(
    readonly bases: readonly string[],
    public parts: (Part | null)[],
    public time: number,
    public label: string | undefined = undefined,
  ) {}

  get patch(): Patch {
    return this.absolute('redo')
  }

  get inverse(): Patch {
    return this.absolute('undo')
  }

  absolute(which: keyof Part): Operation[] {
    const out: Operation[] = []
    this.parts.forEach((p, i) => p && out.push(...p[which].patch.map((op) => under(this.bases[i]!, op))))
    return out
  }
}

const join = (a: Side, b: Side): Side => ({ patch: [...a.patch, ...b.patch], fx: a.fx && b.fx && [...a.fx, ...b.fx] })

function rebaseSide(side: Side, through: Effect[]): { side: Side; through: Effect[] } | null {
  const r = rebasePatch(side.patch, side.fx ?? OPAQUE, through)
  return r && { side: { patch: r.patch, fx: r.effects }, through: r.through }
}

const under = (base: string, op: Operation): Operation =>
  op.op === 'move' || op.op === 'copy' ? { ...op, from: base + op.from, path: base + op.path } : { ...op, path: base + op.path }

/** What the watchers saw of one revision, per scope: the scoped patch and the values around it. */
interface Seen {
  id: number
  parts: ({ patch: Patch; before: unknown; after: unknown } | undefined)[]
}

/** A patch that rewrites the scope's value whole. */
const wholeScope = (patch: Patch) => patch.some((op) => op.path === '')

class Manager implements UndoManager {
  readonly #store: Store<JsonValue>
  readonly #pointers: string[]
  readonly #options: UndoOptions
  readonly #limit: number
  /** The value at each scope, as of the last revision seen. */
  readonly #values: unknown[]
  #undo: Step[] = []
  #redo: Step[] = []
  #seen: Seen | null = null
  /** While this manager applies a patch: 'waiting' until the store dispatches its revision. */
  #applying: 'waiting' | 'seen' | null = null
  /** Ids of own revisions dispatched after `apply` returned (a write from inside a watcher). */
  readonly #ownIds = new Set<number>()
  /** Own patches a store forwarded (apply returned null), matched when their revision arrives. */
  #forwarded: Patch[] = []
  #mergeable = false
  /** Devtools show another revision: the store refuses writes, so there is nothing to undo or redo until they go live. */
  #travelling = false
  #state: UndoState = { canUndo: false, canRedo: false, undoLabel: undefined, redoLabel: undefined }
  readonly #listeners = new Set<{ fn: () => void }>()
  readonly #stop: (() => void)[]

  constructor(store: Store<JsonValue>, options: UndoOptions) {
    this.#store = store
    this.#options = options
    this.#limit = options.limit ?? 100
    if (!Number.isSafeInteger(this.#limit) || this.#limit < 1) throw new RangeError(`limit must be a whole number >= 1, got ${options.limit}`)
    this.#pointers = scopes(options.scope ?? '')
    this.#values = this.#pointers.map((p) => store.get(p))
    this.#stop = this.#pointers.map((p, i) => store.watch(p, (value, revision) => this.#watch(i, value, revision)))
    this.#stop.push(store.subscribe((revision) => this.#revision(revision)))
  }

  canUndo(): boolean {
    return !this.#travelling && this.#undo.length > 0
  }

  canRedo(): boolean {
    return !this.#travelling && this.#redo.length > 0
  }

  peekUndo(): UndoStep | undefined {
    return this.#undo[this.#undo.length - 1]
  }

  peekRedo(): UndoStep | undefined {
    return this.#redo[this.#redo.length - 1]
  }

  state(): UndoState {
    return this.#state
  }

  undo(): UndoResult {
    return this.#step(this.#undo, this.#redo, 'undo', 'redo')
  }

  redo(): UndoResult {
    return this.#step(this.#redo, this.#undo, 'redo', 'undo')
  }

  clear(): void {
    this.#undo = []
    this.#redo = []
    this.#changed()
  }

  checkpoint(): void {
    this.#mergeable = false
  }

  subscribe(fn: () => void): () => void {
    const entry = { fn }
    this.#listeners.add(entry)
    return () => void this.#listeners.delete(entry)
  }

  dispose(): void {
    for (const stop of this.#stop.splice(0)) stop()
    this.clear()
  }

  /** Applies the top of `from` (its `use` patches) and moves it to `to` with the way back as `back`. */
  #step(from: Step[], to: Step[], use: keyof Part, back: keyof Part): UndoResult {
    // Before the step leaves its stack: the store would refuse the write, and the step is still good for later.
    if (this.#travelling) throw new PatchError('TIME_TRAVEL', `devtools show a past revision: ${use} waits until they go back to live`)
    const step = from.pop()
    if (!step) return { status: 'empty' }
    this.#mergeable = false
    const conflict = (reason: string, error?: unknown): UndoResult => {
      this.#changed()
      return error === undefined ? { status: 'conflict', step, reason } : { status: 'conflict', step, reason, error }
    }
    if (step.stale) return conflict('the values it would restore were changed elsewhere')
    // Computed here rather than read from the resulting revision, so that a store that
    // forwards the write (and returns null) gets the same way back.
    let changes = false
    let backs: (Side | null)[]
    try {
      backs = step.parts.map((p, i) => {
        if (!p) return null
        const r = applyPatch(this.#values[i], p[use].patch)
        if (r.value !== this.#values[i]) changes = true
        return this.#side(r.inverse, r.value)
      })
    } catch (e) {
      return conflict('it no longer applies to the document', e)
    }
    const patch = step.absolute(use)
    let revision: Revision | null
    let dispatched = false
    this.#applying = 'waiting'
    try {
      revision = this.#store.apply(patch)
    } catch (e) {
      return conflict('it no longer applies to the document', e)
    } finally {
      dispatched = (this.#applying as string) === 'seen' // set by #revision during apply
      this.#applying = null
    }
    if (revision && !dispatched) this.#ownIds.add(revision.id) // applied from inside a dispatch: it comes later
    if (!revision && changes) this.#forwarded = [...this.#forwarded.slice(-15), patch]
    backs.forEach((b, i) => b && (step.parts[i]![back] = b))
    to.push(step)
    this.#changed()
    return { status: 'applied', step, revision }
  }

  #watch(i: number, value: unknown, revision: Revision): void {
    if (this.#seen?.id !== revision.id) this.#seen = { id: revision.id, parts: [] }
    this.#seen.parts[i] = { patch: revision.patch, before: this.#values[i], after: value }
    this.#values[i] = value
  }

  /** After the watchers of a revision: record it, rebase over it, or (own) let it pass. */
  #revision(revision: Revision): void {
    const first = this.#applying === 'waiting'
    if (first) this.#applying = 'seen'
    const seen = this.#seen?.id === revision.id ? this.#seen : null
    this.#seen = null
    if (isTravel(revision)) {
      // Nothing was written; what changes is whether undo and redo can write.
      this.#travelling = showsView(revision)
      return this.#changed()
    }
    if (!seen || first || this.#ownIds.delete(revision.id) || this.#wasForwarded(revision)) return
    if (this.#ask(() => this.#options.record?.(revision), true) === false) this.#rebase(seen)
    else this.#record(seen)
  }

  #wasForwarded(revision: Revision): boolean {
    const i = this.#forwarded.findIndex((p) => deepEqual(p, revision.patch))
    if (i < 0) return false
    this.#forwarded.splice(i, 1)
    return true
  }

  /** A side of a step; its effects only where rebasing can happen. */
  #side(patch: Patch, doc: unknown): Side {
    let fx: Effect[][] | null = null
    if (this.#options.record) {
      try {
        fx = effectsOfPatch(patch, doc)
      } catch {
        fx = OPAQUE // cannot happen for a patch that applies to doc; if it does, conflict rather than guess
      }
    }
    return { patch: [...patch], fx }
  }

  #record(seen: Seen): void {
    // The store's log has the revision's inverse; scoped, it is the step's, at no cost. Where
    // scoping it loses detail (a move back into the scope becomes a whole-scope replace), or
    // the log has no entry (history 0, a dump), applying the scoped patch gives a precise one.
    const entry = this.#store.log(seen.id - 1)[0]
    const inverse = entry?.id === seen.id ? entry.inverse : null
    const parts = this.#pointers.map((p, i): Part | null => {
      const s = seen.parts[i]
      if (!s) return null
      let undo = inverse && scopePatch(inverse, parsePointer(p), s.after, s.before)
      if (!undo || (wholeScope(undo) && !wholeScope(s.patch))) undo = applyPatch(s.before, s.patch).inverse
      return { redo: this.#side(s.patch, s.before), undo: this.#side(undo, s.after) }
    })
    const step = new Step(this.#pointers, parts, Date.now())
    step.label = this.#ask(() => this.#options.describe?.({ patch: step.patch, inverse: step.inverse }), undefined)
    const top = this.peekUndo() as Step | undefined
    if (top && this.#mergeable && this.#ask(() => this.#options.merge?.(top, step), false)) {
      top.parts = top.parts.map((p, i) => {
        const q = parts[i]
        return !p ? q : !q ? p : { redo: join(p.redo, q.redo), undo: join(q.undo, p.undo) }
      })
      top.time = step.time
      top.label = step.label ?? top.label
    } else {
      this.#undo.push(step)
      if (this.#undo.length > this.#limit) this.#undo.splice(0, this.#undo.length - this.#limit)
    }
    this.#redo = []
    this.#mergeable = true
    this.#changed()
  }

  /**
   * A revision from elsewhere touched the scope: every step is rebased over it, in each
   * scope, newest first (each step applies where the ones above it were undone). A step it
   * conflicts with turns stale; the steps below it are then rebased over the stale step
   * staying applied as well. Staleness is per step, so the scopes repeat until none adds any.
   */
  #rebase(seen: Seen): void {
    const stale = new Set<Step>()
    for (;;) {
      const found = new Set<Step>()
      const updates: [Part, keyof Part, Side][] = []
      this.#pointers.forEach((_, i) => {
        const s = seen.parts[i]
        if (!s && ![...stale].some((step) => step.parts[i])) return // nothing to rebase in this scope
        let through: Effect[] = []
        try {
          if (s) through = effectsOfPatch(s.patch, s.before).flat()
        } catch {
          through = OPAQUE.flat()
        }
        this.#walk(this.#undo, 'undo', 'redo', i, through, stale, found, updates)
        this.#walk(this.#redo, 'redo', 'undo', i, through, stale, found, updates)
      })
      if ([...found].every((f) => stale.has(f))) {
        for (const [part, which, side] of updates) part[which] = side
        for (const f of stale) f.stale = true
        break
      }
      for (const f of found) stale.add(f)
    }
    this.#mergeable = false
    this.#changed()
  }

  /**
   * Rebases one stack's parts in scope `i` over `through`, newest first. A step's next
   * side (`use`) applies in the document the revision found; its other side (`back`)
   * leads back there from the document below it, where `through` goes next.
   */
  #walk(
    stack: Step[],
    use: keyof Part,
    back: keyof Part,
    i: number,
    through: Effect[],
    stale: Set<Step>,
    found: Set<Step>,
    updates: [Part, keyof Part, Side][],
  ): void {
    for (let k = stack.length - 1; k >= 0; k--) {
      const step = stack[k]!
      const part = step.parts[i]
      if (!part || step.stale) continue // a stale step stays applied: the ones below already account for it
      if (through.length === 0 && !stale.has(step)) continue // nothing happened here (yet)
      const next = stale.has(step) ? null : rebaseSide(part[use], through)
      const prev = next && rebaseSide(part[back], next.through)
      if (next && prev) {
        updates.push([part, use, next.side], [part, back, prev.side])
        through = next.through
      } else {
        // It stays applied: the steps below see its way back from them, then the revision.
        found.add(step)
        through = [...(part[back].fx ?? OPAQUE).flat(), ...through]
      }
    }
  }

  #changed(): void {
    const undo = this.#travelling ? undefined : this.peekUndo()
    const redo = this.#travelling ? undefined : this.peekRedo()
    const next: UndoState = { canUndo: !!undo, canRedo: !!redo, undoLabel: undo?.label, redoLabel: redo?.label }
    const prev = this.#state
    if (next.canUndo !== prev.canUndo || next.canRedo !== prev.canRedo || next.undoLabel !== prev.undoLabel || next.redoLabel !== prev.redoLabel) {
      this.#state = next
    }
    for (const l of [...this.#listeners]) this.#ask(() => l.fn(), undefined)
  }

  /** Runs a callback of the app; if it throws, reports the error and gives `fallback`. */
  #ask<R>(fn: () => R, fallback: R): R {
    try {
      return fn()
    } catch (e) {
      try {
        ;(this.#options.onError ?? logError)(e)
      } catch {
        logError(e) // a throwing onError must not break the manager either
      }
      return fallback
    }
  }
}

const logError = (error: unknown) => {
  console.error('patchdb: a callback of an undo manager threw:', error)
  ;(globalThis as { reportError?: (e: unknown) => void }).reportError?.(error)
}

/** The scope's pointers, checked: valid, safe, and none inside another. */
function scopes(scope: string | readonly Path[]): string[] {
  const list = typeof scope === 'string' ? [scope] : scope
  if (!Array.isArray(list) || list.length === 0) throw new RangeError('scope needs at least one pointer')
  const pointers = list.map((p) => toPointer(p))
  const segs: Segments[] = pointers.map((p) => parsePointer(p))
  for (const [k, s] of segs.entries()) {
    if (s.some(isUnsafeSegment)) throw new RangeError(`scope ${pointers[k]} has a segment that is not allowed`)
    for (let j = 0; j < k; j++) {
      if (isPrefix(s, segs[j]!) || isPrefix(segs[j]!, s)) throw new RangeError(`scopes ${pointers[j]} and ${pointers[k]} overlap`)
    }
  }
  return pointers
}
