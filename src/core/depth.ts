/**
 * The one limit on nesting, for the whole document: at most this many containers nest
 * (`[[1]]` nests 2). Every write is checked against it where it lands (the length of its
 * path plus the height of its value), so no entry point can build a deeper document and
 * every recursive walk of a document stays far from the stack limit. Exported for the
 * durable stores, which must refuse what the core would refuse.
 */
export const MAX_DEPTH = 1000

/**
 * Heights of nodes that are never written again: a store's committed nodes and the
 * private copies it inserts (a draft copies a node before writing below it). Makes the
 * height of a moved or copied subtree O(1) after its first measure.
 */
const heights = new WeakMap<object, number>()

/**
 * How many containers nest in `value` (0 for a leaf), or `room + 1` as soon as it is
 * known to exceed `room`; the walk never goes deeper than that, whatever `value` holds.
 * `mutable` says which nodes may still change (their height is not cached); without it
 * nothing is cached, for documents that belong to a caller.
 */
export function heightOf(value: unknown, room: number, mutable?: (node: object) => boolean): number {
  if (typeof value !== 'object' || value === null) return 0
  const cacheable = mutable !== undefined && !mutable(value)
  if (cacheable) {
    const known = heights.get(value)
    if (known !== undefined) return known
  }
  if (room <= 0) return 1
  let below = 0
  const children = Array.isArray(value) ? value : Object.values(value)
  for (let i = 0; i < children.length; i++) {
    const h = heightOf(children[i], room - 1, mutable)
    if (h > below) below = h
    if (below >= room) return room + 1
  }
  if (cacheable) heights.set(value, below + 1)
  return below + 1
}
