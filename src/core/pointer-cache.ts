/** How much a cached entry costs beyond its key's characters (map slot, array, segment strings). */
const ENTRY_COST = 48

/**
 * Parsed pointers, bounded by size rather than count: a count alone let 20,000 distinct
 * 100,000-character pointers (from failed patches, or `get` calls) hold 1.9 GB.
 *
 * Two generations approximate "least recently used" at O(1) per call: a lookup checks the
 * young map, then the old one, whose hits are copied to the young. When the young map
 * reaches half the budget the old one is dropped and the young one takes its place, so a
 * flood of one-off pointers leaves within two turns while pointers in use stay. Pointers
 * longer than `maxLength` are not kept: parsing one costs about what hashing it does.
 */
export class PointerCache<V> {
  #young = new Map<string, V>()
  #old = new Map<string, V>()
  #youngSize = 0
  #oldSize = 0

  constructor(
    /** Bound on the total size: characters of the keys plus a fixed cost per entry. */
    readonly maxSize: number,
    readonly maxLength: number,
  ) {}

  get(key: string): V | undefined {
    const hit = this.#young.get(key)
    if (hit !== undefined) return hit
    const old = this.#old.get(key)
    if (old !== undefined) this.set(key, old)
    return old
  }

  set(key: string, value: V): void {
    if (key.length > this.maxLength) return
    const cost = key.length + ENTRY_COST
    if (this.#youngSize + cost > this.maxSize / 2) {
      this.#old = this.#young
      this.#oldSize = this.#youngSize
      this.#young = new Map()
      this.#youngSize = 0
    }
    this.#young.set(key, value)
    this.#youngSize += cost
  }

  /** Entries held (a pointer in both generations counts twice) and their total size. */
  stats(): { entries: number; size: number; maxSize: number } {
    return { entries: this.#young.size + this.#old.size, size: this.#youngSize + this.#oldSize, maxSize: this.maxSize }
  }
}
