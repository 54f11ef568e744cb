import type { ChangeNode } from './changes'
import { child } from './json'
import type { Patch, Revision } from './patch'
import type { Segments } from './pointer'
import { scopePatch } from './scope'

export type Watcher = (value: unknown, revision: Revision) => void

interface WatchNode {
  readonly segs: Segments
  readonly parent: WatchNode | null
  readonly key: string
  /** Replaced, never mutated, on (un)subscribe: dispatch iterates it without a copy. */
  watchers: readonly Watcher[] | null
  children: Map<string, WatchNode> | null
}

const node = (segs: Segments, parent: WatchNode | null, key: string): WatchNode => ({
  segs,
  parent,
  key,
  watchers: null,
  children: null,
})

/**
 * Watchers indexed in a trie keyed by pointer segments. After a revision, only the
 * branches that both hold watchers and were written are walked, and a branch whose value
 * is the same object as before is skipped whole: untouched subtrees are shared.
 */
export class WatchTrie {
  private readonly root = node([], null, '')
  /** Registered watchers and trie nodes (the root included), for leak checks. */
  readonly stats = { watchers: 0, nodes: 1 }

  add(segs: Segments, fn: Watcher): () => void {
    let n = this.root
    for (let i = 0; i < segs.length; i++) {
      n.children ??= new Map()
      let next = n.children.get(segs[i])
      if (!next) {
        n.children.set(segs[i], (next = node(segs.slice(0, i + 1), n, segs[i])))
        this.stats.nodes++
      }
      n = next
    }
    n.watchers = n.watchers ? [...n.watchers, fn] : [fn]
    this.stats.watchers++
    const at = n
    let active = true // the same function watched twice is two watchers: stop removes one
    return () => {
      if (!active) return
      active = false
      const list = at.watchers!
      const i = list.indexOf(fn)
      at.watchers = list.length === 1 ? null : [...list.slice(0, i), ...list.slice(i + 1)]
      this.stats.watchers--
      this.stats.nodes -= prune(at)
    }
  }

  /** Calls every watcher whose value differs between `before` and `after`, once. */
  dispatch(before: unknown, after: unknown, changes: ChangeNode, id: number, patch: Patch, errors: unknown[]): void {
    walk(this.root, changes, before, after, id, patch, errors)
  }
}

function walk(n: WatchNode, c: ChangeNode | null, old: unknown, cur: unknown, id: number, patch: Patch, errors: unknown[]): void {
  if (old === cur) return
  if (n.watchers) {
    const revision = new ScopedRevision(id, patch, n.segs, old, cur)
    for (const w of n.watchers) {
      try {
        w(cur, revision)
      } catch (e) {
        errors.push(e)
      }
    }
  }
  const children = n.children
  if (!children) return
  if (!c || c.all) {
    for (const [k, next] of children) walk(next, null, child(old, k), child(cur, k), id, patch, errors)
  } else if (c.children) {
    for (const [k, cc] of c.children) {
      const next = children.get(k)
      if (next) walk(next, cc, child(old, k), child(cur, k), id, patch, errors)
    }
  }
}

/**
 * A revision whose patch is scoped on first read: most watchers only want the value. A
 * class, not an object literal with a getter, which V8 builds some fifty times slower.
 */
class ScopedRevision implements Revision {
  #patch: Patch | undefined
  readonly #scope: () => Patch

  constructor(
    readonly id: number,
    full: Patch,
    at: Segments,
    old: unknown,
    cur: unknown,
  ) {
    this.#scope = () => scopePatch(full, at, old, cur)
  }

  get patch(): Patch {
    return (this.#patch ??= this.#scope())
  }

  toJSON(): Revision {
    return { id: this.id, patch: this.patch }
  }
}

/** Removes nodes left with neither watchers nor children, so unsubscribing leaks nothing. */
function prune(n: WatchNode): number {
  let removed = 0
  let cur = n
  while (cur.parent && !cur.watchers && !cur.children) {
    const parent: WatchNode = cur.parent
    parent.children!.delete(cur.key)
    if (parent.children!.size === 0) parent.children = null
    removed++
    cur = parent
  }
  return removed
}

