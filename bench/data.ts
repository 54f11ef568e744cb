/** The shared data: every library gets its own fresh copy of the same rows. */
export interface Row {
  id: number
  label: string
  value: number
}

export interface RowsDoc {
  rows: Row[]
}

export const makeRows = (n: number): Row[] => Array.from({ length: n }, (_, i) => ({ id: i, label: `row ${i}`, value: 0 }))

export const makeDoc = (n: number): RowsDoc => ({ rows: makeRows(n) })

/** RFC 6901 pointers to each row's value, built once so no contender pays for string building. */
export const valuePaths = (n: number): string[] => Array.from({ length: n }, (_, i) => `/rows/${i}/value`)

/**
 * The bookkeeping behind a final-state check: the value last written to each row, the
 * value each row's watcher last saw, and how many times watchers ran.
 */
export class Ledger {
  readonly written: Float64Array
  readonly seen: Float64Array
  writes = 0
  calls = 0
  private counter = 0

  constructor(readonly size: number) {
    this.written = new Float64Array(size)
    this.seen = new Float64Array(size)
  }

  /** The next write: which row, and a value never written before. */
  next(): { row: number; value: number } {
    const value = ++this.counter
    const row = value % this.size
    this.written[row] = value
    this.writes++
    return { row, value }
  }

  saw(row: number, value: number): void {
    this.seen[row] = value
    this.calls++
  }

  /** Throws unless the state holds every written value (and, with watchers, each was seen once). */
  check(name: string, valueOf: (row: number) => number, watched: boolean): void {
    if (this.writes === 0) throw new Error(`${name}: no work was done`)
    for (let i = 0; i < this.size; i++) {
      if (valueOf(i) !== this.written[i]) throw new Error(`${name}: row ${i} holds ${valueOf(i)}, expected ${this.written[i]}`)
      if (watched && this.seen[i] !== this.written[i]) throw new Error(`${name}: watcher of row ${i} saw ${this.seen[i]}, expected ${this.written[i]}`)
    }
    if (watched && this.calls !== this.writes) throw new Error(`${name}: ${this.calls} watcher calls for ${this.writes} writes`)
  }
}
