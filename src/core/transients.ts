import type { ChangeNode } from './changes'
import { child, isContainer } from './json'
import type { Segments } from './pointer'

/**
 * Transients: nodes of a store's document that the store made and nobody has seen.
 *
 * A write copies each node on its path (structural sharing), which for one leaf of a
 * 10,000-row array means copying the array every time. But a copy that nobody has been
 * handed yet can be written again in place: no one could tell. So the store remembers
 * the nodes its own writes made, along the paths they were made at, and forgets a node
 * (and everything below it) as soon as it is handed out: by `get`, to a watcher, in a
 * dump, through a transaction. A burst of writes under `/rows` copies `/rows` once, and
 * a watcher of `/rows/5000` never forces a copy of `/rows`: what is handed out is still
 * a snapshot that no later write changes.
 *
 * Only in stores that do not freeze (production) and have no `beforeCommit` (which is
 * handed each new document); see Draft for how a write uses them.
 */
export interface TransientNode {
  /** The node at this place when it was remembered; a different node there is not transient. */
  node: unknown
  /** Transient children by key; a key missing, or a node found there that differs, is not. */
  kids: Map<string, TransientNode> | null
}

export class Transients {
  /** The root: always copied by a write (its identity is the revision's), its children may be transient. */
  readonly root: TransientNode = { node: null, kids: null }

  /** Everything was handed out (the whole document). */
  forgetAll(): void {
    this.root.kids = null
  }

  /**
   * The node at `segs` was handed out: neither it nor anything below it may change again.
   * Its entry stays, emptied, for the next node written there (no Map churn per write).
   */
  forget(segs: Segments): void {
    forget(this.root, segs)
  }

  /**
   * After a commit, along the paths it wrote: a node the write made (`own.owns`) is transient
   * at its place, keeping what is known below it only if it is the node already
   * remembered there; any other value written drops what was known there.
   */
  committed(root: unknown, changes: ChangeNode, own: { owns(node: object): boolean }): void {
    this.root.node = root
    if (changes.all) this.root.kids = null
    else update(this.root, root, changes, own)
  }
}

/** Forgets the node at `segs` below the root entry `root` (see Transients.forget). */
export function forget(root: TransientNode, segs: Segments): void {
  if (segs.length === 0) {
    root.kids = null
    return
  }
  let t: TransientNode | undefined = root
  for (let i = 0; i < segs.length && t !== undefined; i++) t = t.kids?.get(segs[i]!)
  if (t !== undefined) {
    t.node = null
    t.kids = null
  }
}

/** Whether the write below `node` changed only values that are not objects or arrays. */
function leavesOnly(node: unknown, c: ChangeNode): boolean {
  for (const k of c.children!.keys()) if (isContainer(child(node, k))) return false
  return true
}

function update(t: TransientNode, node: unknown, changes: ChangeNode, own: { owns(node: object): boolean }): void {
  if (!changes.children) return
  for (const [k, c] of changes.children) {
    const v = child(node, k)
    // A small node written only at its leaves costs less to copy again than to remember.
    if (!isContainer(v) || !own.owns(v) || (c.children !== null && leavesOnly(v, c) && small(v))) {
      t.kids?.delete(k)
      continue
    }
    let kid = t.kids?.get(k)
    // A new node's children are shared with the node it copied, which may have been seen.
    if (kid === undefined) (t.kids ??= new Map()).set(k, (kid = { node: v, kids: null }))
    else if (kid.node !== v) {
      kid.node = v
      kid.kids = null
    }
    // Indices shifted or the node was replaced whole: nothing below it is known.
    if (c.all) kid.kids = null
    else update(kid, v, c, own)
  }
}

/**
 * Few enough children that copying costs less than writing in place (which remembers what
 * each slot held): a write lands in such a node by copying it, and it is not remembered
 * when only its leaves were written. A node on the way down is written in place whatever
 * its size, or nothing below it could be.
 */
export function small(node: object): boolean {
  if (Array.isArray(node)) return node.length <= 8
  let n = 0
  for (const _ in node) if (++n > 8) return false
  return true
}
