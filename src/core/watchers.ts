import type { ChangeNode } from './changes'
import { childBefore, type InPlace } from './draft'
import { child, isContainer } from './json'
import { ListenerList } from './listeners'
import type { Patch, Revision } from './patch'
import { formatPointer, type Segments } from './pointer'
import { scopePatch } from './scope'

export type Watcher = (value: unknown, revision: Revision) => void

/**
 * The labels of one pointer's watchers, flat: a label, then how many of its watchers carry
 * it. Frozen and replaced whole on subscribe / unsubscribe, so devtools can keep it.
 */
export type LabelSummary = readonly (string | number)[]

/** Where a watcher that threw was registered. */
export interface WatchSite {
  readonly segs: Segments
}

/**
 * What a dispatch fills for devtools: pointer, watchers called, their labels (see
 * CallCounts in probe.ts). Refilled in place by a count: emptying an array gives its
 * storage up, so the next dispatch would allocate anew.
 */
export class CallList {
  readonly items: (string | number | LabelSummary | null)[] = []
  length = 0

  add(pointer: string, called: number, labels: LabelSummary | null): void {
    const at = this.length
    this.items[at] = pointer
    this.items[at + 1] = called
    this.items[at + 2] = labels
    this.length = at + 3
  }
}

/** One revision's dispatch: what every step of the walk shares. */
export interface Dispatch {
  readonly revision: Revision
  /** The commit's number: watchers added at or after it wait for the next. */
  readonly seq: number
  readonly report: (error: unknown, site: WatchSite) => void
  /** Devtools' attribution, filled while they are attached. */
  readonly calls: CallList | undefined
  /** Nodes the revision wrote in place (see transients.ts), whose old children they remember. */
  readonly inPlace: ReadonlyMap<object, InPlace> | null
  /** Told of each object or array handed to a watcher, by pointer (transients forget it). */
  readonly handed: ((segs: Segments) => void) | undefined
}

/** A trie node: the watchers of one pointer, and the nodes below it. */
class WatchNode extends ListenerList<unknown, Revision> implements WatchSite {
  children: Map<string, WatchNode> | null = null
  /** This node's pointer, formatted once when devtools first count its calls. */
  pointer: string | null = null
  /** Its labelled watchers per label, and the frozen summary of it (null when none is labelled). */
  labelCounts: Map<string, number> | null = null
  labels: LabelSummary | null = null
  /**
   * The node's pointer: the segments its first watcher passed, kept by reference. Nodes
   * do not copy their prefix, which made watching an n-segment pointer cost O(n²) memory.
   */
  #segs: Segments | null

  constructor(
    readonly parent: WatchNode | null,
    readonly key: string,
  ) {
    super()
    this.#segs = parent ? null : []
  }

  get segs(): Segments {
    if (this.#segs) return this.#segs
    const keys: string[] = []
    for (let n: WatchNode | null = this; n?.parent; n = n.parent) keys.push(n.key)
    return (this.#segs = keys.reverse())
  }

  /** Remembers `segs` (this node's pointer) without copying it. */
  adopt(segs: Segments): void {
    this.#segs ??= segs
  }

  /** Counts one more (`by` 1) or one fewer (-1) watcher labelled `label`, and rebuilds the summary. */
  relabel(label: string, by: 1 | -1): void {
    const counts = (this.labelCounts ??= new Map())
    const n = (counts.get(label) ?? 0) + by
    if (n > 0) counts.set(label, n)
    else counts.delete(label)
    if (counts.size === 0) {
      this.labelCounts = this.labels = null
      return
    }
    const flat: (string | number)[] = []
    for (const [l, c] of counts) flat.push(l, c)
    this.labels = Object.freeze(flat)
  }
}

/**
 * Watchers indexed in a trie keyed by pointer segments. After a revision, only the
 * branches that both hold watchers and were written are walked, and a branch whose value
 * is the same object as before is skipped whole: untouched subtrees are shared.
 * Subscribing and unsubscribing cost O(depth), whatever number share a pointer.
 */
export class WatchTrie {
  readonly #root = new WatchNode(null, '')
  /** Registered watchers and trie nodes (the root included), for leak checks. */
  readonly stats = { watchers: 0, nodes: 1 }

  /** Adds a watcher that hears commits after number `since`; returns its unsubscribe. */
  add(segs: Segments, fn: Watcher, since: number, label?: string): () => void {
    let n = this.#root
    for (let i = 0; i < segs.length; i++) {
      n.children ??= new Map()
      let next = n.children.get(segs[i]!)
      if (!next) {
        n.children.set(segs[i]!, (next = new WatchNode(n, segs[i]!)))
        this.stats.nodes++
      }
      n = next
    }
    n.adopt(segs)
    // Each call is its own entry: the same function watched twice is two watchers.
    const entry = n.add(fn, since)
    if (label !== undefined) n.relabel(label, 1)
    this.stats.watchers++
    const at = n
    return () => {
      if (!at.remove(entry)) return
      if (label !== undefined) at.relabel(label, -1)
      this.stats.watchers--
      this.stats.nodes -= prune(at)
    }
  }

  /**
   * Calls every watcher whose value differs between `before` and `after`, once, if it was
   * added before commit `d.seq`; errors go to `d.report`, so one watcher cannot starve others.
   */
  dispatch(before: unknown, after: unknown, changes: ChangeNode, d: Dispatch): void {
    walk(this.#root, changes, before, after, d)
  }
}

function walk(n: WatchNode, c: ChangeNode | null, old: unknown, cur: unknown, d: Dispatch): void {
  // The same node is unchanged, unless the revision wrote it in place.
  if (old === cur && (d.inPlace === null || d.inPlace.get(cur as object)?.changed !== true)) return
  if (n.head) {
    if (d.handed !== undefined && isContainer(cur)) d.handed(n.segs)
    const r = d.revision
    const called = n.emit(d.seq, cur, new ScopedRevision(r.id, r.patch, n.segs, old, cur), d.report)
    if (d.calls && called > 0) d.calls.add((n.pointer ??= formatPointer(n.segs)), called, n.labels)
  }
  const children = n.children
  if (!children) return
  if (!c || c.all) {
    for (const [k, next] of children) walk(next, null, childBefore(d.inPlace, old, cur, k), child(cur, k), d)
  } else if (c.children) {
    for (const [k, cc] of c.children) {
      const next = children.get(k)
      if (next) walk(next, cc, childBefore(d.inPlace, old, cur, k), child(cur, k), d)
    }
  }
}

/**
 * A revision whose patch is scoped on first read: most watchers only want the value. A
 * class, not an object literal with a getter, which V8 builds some fifty times slower.
 */
class ScopedRevision implements Revision {
  #patch: Patch | undefined
  readonly #full: Patch
  readonly #at: Segments
  readonly #old: unknown
  readonly #cur: unknown

  constructor(
    readonly id: number,
    full: Patch,
    at: Segments,
    old: unknown,
    cur: unknown,
  ) {
    this.#full = full
    this.#at = at
    this.#old = old
    this.#cur = cur
  }

  get patch(): Patch {
    return (this.#patch ??= scopePatch(this.#full, this.#at, this.#old, this.#cur))
  }

  /** The revision's whole patch, unscoped (a revision that is not scoped has no other): for the core's own watchers. */
  static whole(r: Revision): Patch {
    return #full in r ? (r as ScopedRevision).#full : r.patch
  }

  toJSON(): Revision {
    return { id: this.id, patch: this.patch }
  }
}

/** See ScopedRevision.whole. */
export const wholePatch = (r: Revision): Patch => ScopedRevision.whole(r)

/** Removes nodes left with neither watchers nor children, so unsubscribing leaks nothing. */
function prune(n: WatchNode): number {
  let removed = 0
  let cur = n
  while (cur.parent && !cur.head && !cur.children) {
    const parent: WatchNode = cur.parent
    parent.children!.delete(cur.key)
    if (parent.children!.size === 0) parent.children = null
    removed++
    cur = parent
  }
  return removed
}
