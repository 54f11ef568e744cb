import type { Patch, Revision } from './patch'

/** A retained revision with the patch that undoes it. */
export interface LogEntry extends Revision {
  readonly inverse: Patch
  /**
   * 'local' for apply / set / transact, 'server' for update(). Absent on entries rebuilt
   * from disk, which do not record it.
   */
  readonly origin?: 'local' | 'server'
  /** The write's label (`apply(patch, { label })`), when it had one. */
  readonly label?: string
}

/**
 * The last `limit` revisions, oldest first. A ring buffer, so recording is O(1) and the
 * memory bound is explicit; the inverse patches rebuild any retained earlier state.
 */
export class History {
  /** Grows as entries arrive (up to `limit`): a large limit costs nothing until used. */
  private readonly ring: (LogEntry | undefined)[] = []
  private start = 0
  private count = 0

  constructor(readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`history must be a whole number >= 0, got ${limit}`)
  }

  record(entry: LogEntry): void {
    if (this.limit === 0) return
    this.ring[(this.start + this.count) % this.limit] = entry
    if (this.count < this.limit) this.count++
    else this.start = (this.start + 1) % this.limit
  }

  clear(): void {
    this.ring.fill(undefined)
    this.start = this.count = 0
  }

  get size(): number {
    return this.count
  }

  /** Entries with `id > since`, oldest first. */
  entries(since = -Infinity): LogEntry[] {
    const out: LogEntry[] = []
    for (let i = 0; i < this.count; i++) {
      const e = this.ring[(this.start + i) % this.limit]!
      if (e.id > since) out.push(e)
    }
    return out
  }
}
