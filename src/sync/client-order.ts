/**
 * Puts server revisions back in order. The client applies revision `at + 1` only: older
 * ids are duplicates (a resend overlapping what arrived), newer ones wait here until the
 * gap before them fills. Nothing is ever applied past a gap. The buffer is bounded: a
 * revision too far ahead is not kept (the resend that fills the gap brings it again).
 */
export class ReorderBuffer<R extends { readonly id: number }> {
  readonly #waiting = new Map<number, R>()

  constructor(
    /** The last revision applied. */
    public at: number,
    /** How far past `at` a revision may be and still be kept. */
    readonly limit: number,
  ) {}

  /** Takes a revision; returns those now ready to apply, in order (often just this one). */
  push(revision: R): R[] {
    const { id } = revision
    if (id <= this.at || this.#waiting.has(id)) return []
    if (id > this.at + 1) {
      if (id - this.at <= this.limit) this.#waiting.set(id, revision)
      return []
    }
    const ready = [revision]
    this.at = id
    for (let next = this.#waiting.get(this.at + 1); next; next = this.#waiting.get(this.at + 1)) {
      this.#waiting.delete(next.id)
      ready.push(next)
      this.at = next.id
    }
    return ready
  }

  /** The id the client waits for while later ones are held, else null. */
  get gap(): number | null {
    return this.#waiting.size > 0 ? this.at + 1 : null
  }

  /** Forgets what waits (a dump replaces the history it belonged to) and starts from `at`. */
  reset(at: number): void {
    this.#waiting.clear()
    this.at = at
  }

  get size(): number {
    return this.#waiting.size
  }
}
