import type { ReactNode } from 'react'

/** The rows of the React scenario (the js-framework-benchmark's shape). */
export interface Row {
  id: number
  label: string
}

/** The operations, in the order the scenario runs them on one page. */
export const OPS = ['mount', 'update every 10th', 'swap two rows', 'remove one row'] as const
export type Op = (typeof OPS)[number]

/** What one library page provides: its state, its components and the three writes. */
export interface Adapter {
  init(rows: Row[]): void
  App: () => ReactNode
  updateEvery10th(): void
  swap(a: number, b: number): void
  remove(index: number): void
}

export interface OpResult {
  op: Op
  /** From the start of the operation to React's last commit (React.Profiler), ms. */
  toCommit: number
  /** From the start to the next paint: a task after requestAnimationFrame after the commit, ms. */
  toPaint: number
  /** Row components rendered. */
  renders: number
  /** The rendered table, one `id:label` per row, to check the work was really done. */
  table: string[]
}

/** Rows and the positions the operations use, for a table of n rows. */
export const plan = (n: number) => ({
  rows: Array.from({ length: n }, (_, i): Row => ({ id: i, label: `row ${i}` })),
  swap: [1, n - 2] as const,
  remove: 2,
})

/** The table the operations must leave, computed without any library. */
export function expectedTables(n: number): Record<Op, string[]> {
  const p = plan(n)
  const show = (rows: Row[]) => rows.map((r) => `${r.id}:${r.label}`)
  let rows = p.rows
  const mount = show(rows)
  rows = rows.map((r, i) => (i % 10 === 0 ? { ...r, label: r.label + ' !!!' } : r))
  const update = show(rows)
  rows = rows.slice()
  ;[rows[p.swap[0]], rows[p.swap[1]]] = [rows[p.swap[1]]!, rows[p.swap[0]]!]
  const swap = show(rows)
  rows = rows.filter((_, i) => i !== p.remove)
  return { mount, 'update every 10th': update, 'swap two rows': swap, 'remove one row': show(rows) }
}

export const updatedLabel = (r: Row) => ({ ...r, label: r.label + ' !!!' })
