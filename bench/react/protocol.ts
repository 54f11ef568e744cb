import type { ReactNode } from 'react'

/** The rows of the React scenario (the js-framework-benchmark's shape); a type, so a row is a JsonValue. */
export type Row = { id: number; label: string }

/** The operations, in the order the scenario runs them on one page. */
export const OPS = ['mount', 'update every 10th', 'select one', 'swap two', 'remove one', 'append 1,000', 'clear'] as const
export type Op = (typeof OPS)[number]

/**
 * What one library page provides: its state, its components and the writes. Each write is
 * made inside `flushSync`, so the page is checked right after it: a library that defers its
 * rendering shows a stale table and fails.
 */
export interface Adapter {
  /** Makes the state (not timed): when the page loads, and again before each later round. */
  init(rows: Row[]): void
  App: () => ReactNode
  updateEvery10th(): void
  /** Marks the row with this id as the selected one (rendered with `class="danger"`). */
  select(id: number): void
  swap(a: number, b: number): void
  remove(index: number): void
  append(rows: Row[]): void
  clear(): void
}

export interface OpResult {
  op: Op
  /** The operation inside `flushSync`: the write, React's render, commit and effects, ms. */
  time: number
  /** Of `time`, the write itself (the library's own code, before React renders), ms. */
  write: number
  /** From the start to the next paint: a task after requestAnimationFrame after the commit, ms. */
  toPaint: number
  /** Row components rendered. */
  renders: number
  /** The rendered table, one `id:label` per row (` *` when selected), to check the work was really done. */
  table: string[]
}

const makeRows = (from: number, count: number) => Array.from({ length: count }, (_, i): Row => ({ id: from + i, label: `row ${from + i}` }))

/** Rows and the positions the operations use, for a table of n rows. */
export const plan = (n: number) => ({
  rows: makeRows(0, n),
  select: 4,
  swap: [1, n - 2] as const,
  remove: 2,
  append: makeRows(n, 1000),
})

/** The table the operations must leave, computed without any library. */
export function expectedTables(n: number): Record<Op, string[]> {
  const p = plan(n)
  let selected = -1
  const show = (rows: Row[]) => rows.map((r) => `${r.id}:${r.label}${r.id === selected ? ' *' : ''}`)
  let rows = p.rows
  const mount = show(rows)
  rows = rows.map((r, i) => (i % 10 === 0 ? updatedLabel(r) : r))
  const update = show(rows)
  selected = p.select
  const select = show(rows)
  rows = rows.slice()
  ;[rows[p.swap[0]], rows[p.swap[1]]] = [rows[p.swap[1]]!, rows[p.swap[0]]!]
  const swap = show(rows)
  rows = rows.filter((_, i) => i !== p.remove)
  const remove = show(rows)
  rows = [...rows, ...p.append]
  return {
    mount,
    'update every 10th': update,
    'select one': select,
    'swap two': swap,
    'remove one': remove,
    'append 1,000': show(rows),
    clear: [],
  }
}

export const updatedLabel = (r: Row) => ({ ...r, label: r.label + ' !!!' })
