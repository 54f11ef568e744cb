import type { Timing } from './measure'
import type { Table } from './types'

export const formatNs = (ns: number): string =>
  ns >= 1e9 ? `${(ns / 1e9).toFixed(2)} s` : ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`

export const formatRatio = (r: number): string => (r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)) + 'x'

/** A timing table; `ratio` is each contender's time over the reference's (> 1: slower than it). */
export function timingTable(title: string, timings: Timing[], reference: string): Table {
  const ref = byName(timings, reference).median
  return {
    title,
    columns: ['median', 'spread', `time vs ${reference}`],
    rows: timings.map((t) => ({
      name: t.name,
      cells: [formatNs(t.median), `±${(t.spread * 50).toFixed(0)}%`, formatRatio(t.median / ref)],
    })),
  }
}

export function byName<T extends { name: string }>(list: T[], name: string): T {
  const found = list.find((t) => t.name === name)
  if (!found) throw new Error(`no result named ${name}`)
  return found
}

/** A table as Markdown, which reads as well in a terminal as in BENCHMARKS.md. */
export function markdownTable(t: Table): string {
  const head = ['', ...t.columns]
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`]
  for (const r of t.rows) lines.push(`| ${[r.name, ...r.cells].join(' | ')} |`)
  return lines.join('\n')
}
