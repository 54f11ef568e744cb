import { applyPatch, PatchError, type Dump, type Patch } from 'patchdb'

/** What the timeline needs of a recorded revision. */
export interface TimelineEntry {
  readonly id: number
  readonly patch: Patch
  readonly skipped: boolean
  /** Set when the entry did not apply in the inspector's last replay: out of the head, as skipped ones are. */
  readonly error?: unknown
}

/** Every this many entries the timeline keeps the document, so any revision is at most this many patches away. */
const CHECKPOINT_EVERY = 64

/**
 * The documents at recorded revisions, rebuilt in the panel from the base and the patches
 * (patches travel, not whole states). Replays the entries that are in the head (neither
 * skipped nor in error) in list order with the core's applyPatch (structurally shared, so
 * checkpoints cost only what changed); one that does not apply here is passed over too. Built lazily: selecting revision k
 * costs at most CHECKPOINT_EVERY patches once the checkpoints up to k exist.
 */
export class Timeline {
  private readonly checkpoints: unknown[] = []
  private readonly failed = new Map<number, PatchError>()
  private index: Map<number, number> | undefined

  constructor(
    readonly base: Dump<unknown>,
    readonly entries: readonly TimelineEntry[],
  ) {
    this.checkpoints[0] = base.value
  }

  /** The index of the entry with `id`, or -1. (Entries are in replay order, which a reorder takes out of id order.) */
  indexOf(id: number): number {
    if (!this.index) {
      this.index = new Map()
      this.entries.forEach((e, i) => this.index!.set(e.id, i))
    }
    return this.index.get(id) ?? -1
  }

  /** The document after the first `count` entries (0: the base). */
  after(count: number): unknown {
    const c = Math.min(Math.floor(count / CHECKPOINT_EVERY), this.ensureCheckpoints(count))
    let doc = this.checkpoints[c]
    for (let i = c * CHECKPOINT_EVERY; i < count; i++) doc = this.step(doc, i)
    return doc
  }

  /** The documents before and after the entry at `index`. */
  around(index: number): { before: unknown; after: unknown } {
    const before = this.after(index)
    return { before, after: this.step(before, index) }
  }

  /** Calls `fn` with the documents before and after each entry, in order: one pass, one patch per entry. */
  walk(fn: (index: number, before: unknown, after: unknown) => void): void {
    let doc = this.checkpoints[0]
    for (let i = 0; i < this.entries.length; i++) {
      const next = this.step(doc, i)
      fn(i, doc, next)
      doc = next
    }
  }

  /** Why the entry at `index` did not apply in this replay, if it did not. */
  errorAt(index: number): PatchError | undefined {
    this.after(index + 1)
    return this.failed.get(index)
  }

  private step(doc: unknown, i: number): unknown {
    const entry = this.entries[i]!
    if (entry.skipped || entry.error) return doc
    try {
      return applyPatch(doc, entry.patch).value
    } catch (e) {
      if (!(e instanceof PatchError)) throw e
      this.failed.set(i, e)
      return doc
    }
  }

  /** Builds checkpoints up to the one at or below `count`; returns its number. */
  private ensureCheckpoints(count: number): number {
    const want = Math.floor(count / CHECKPOINT_EVERY)
    for (let c = this.checkpoints.length; c <= want; c++) {
      let doc = this.checkpoints[c - 1]
      for (let i = (c - 1) * CHECKPOINT_EVERY; i < c * CHECKPOINT_EVERY; i++) doc = this.step(doc, i)
      this.checkpoints[c] = doc
    }
    return want
  }
}
