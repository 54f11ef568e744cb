/** One registered callback; `fn` is null once it has been removed. */
export interface Listener<A, B> {
  fn: ((a: A, b: B) => void) | null
  /** The store's commit count when it was added: it hears only later commits. */
  readonly since: number
  prev: Listener<A, B> | null
  next: Listener<A, B> | null
}

/**
 * Callbacks in a doubly linked list, so that adding and removing one is O(1) however many
 * share the list (an array copied per change made 80,000 watchers of one pointer take
 * minutes), and calling them allocates nothing.
 *
 * The list may change while it is being called: a removed entry keeps its `next`, so a
 * walk standing on it still reaches every entry after it; entries are only ever appended,
 * so no live entry can hide behind a removed one. Whether an entry is called is decided
 * when the walk reaches it: removed ones never are, and one added during the call of
 * commit `seq` waits for a later commit.
 */
export class ListenerList<A, B = undefined> {
  head: Listener<A, B> | null = null
  tail: Listener<A, B> | null = null
  size = 0

  add(fn: (a: A, b: B) => void, since: number): Listener<A, B> {
    const entry: Listener<A, B> = { fn, since, prev: this.tail, next: null }
    if (this.tail) this.tail.next = entry
    else this.head = entry
    this.tail = entry
    this.size++
    return entry
  }

  /** Unlinks `entry`; false if it was already removed. Its `next` stays for a walk standing on it. */
  remove(entry: Listener<A, B>): boolean {
    if (entry.fn === null) return false
    entry.fn = null // releases the callback, and marks the entry for walks in progress
    if (entry.prev) entry.prev.next = entry.next
    else this.head = entry.next
    if (entry.next) entry.next.prev = entry.prev
    else this.tail = entry.prev
    entry.prev = null
    this.size--
    return true
  }

  /**
   * Calls, in order, every entry added before commit `seq` and not removed by the time it
   * is reached; returns how many were called (devtools' render attribution).
   */
  emit(seq: number, a: A, b: B, report: (error: unknown, list: this) => void): number {
    let called = 0
    for (let e = this.head; e !== null; e = e.next) {
      const fn = e.fn
      if (fn === null || e.since >= seq) continue
      called++
      try {
        fn(a, b)
      } catch (error) {
        report(error, this)
      }
    }
    return called
  }
}
