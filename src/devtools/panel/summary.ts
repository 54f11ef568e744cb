import type { Patch } from 'patchdb'

/** One line for a revision: its label, else what its patch does ("replace /todos/0/done", "3 ops under /todos"). */
export function summarize(patch: Patch, label?: string): string {
  if (label) return label
  if (patch.length === 0) return '(empty)'
  if (patch.length === 1) return `${patch[0]!.op} ${patch[0]!.path || '/'}`
  return `${patch.length} ops under ${commonPrefix(patch.map((op) => op.path)) || '/'}`
}

/** The longest pointer that is an ancestor of (or equal to) every path. */
function commonPrefix(paths: string[]): string {
  let segs = paths[0]!.split('/')
  for (const p of paths) {
    const other = p.split('/')
    let n = 0
    while (n < segs.length && n < other.length && segs[n] === other[n]) n++
    segs = segs.slice(0, n)
  }
  return segs.join('/')
}
