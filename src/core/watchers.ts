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
  watchers: Set<{ fn: Watcher }> | null
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
    const entry = { fn } // a wrapper, so the same function watched twice is two watchers
    ;(n.watchers ??= new Set()).add(entry)
    this.stats.watchers++
    const at = n
    return () => {
      if (!at.watchers?.delete(entry)) return
      this.stats.watchers--
      this.stats.nodes -= prune(at)
    }
  }

  /** Calls every watcher whose value differs between `before` and `after`, once. */
  dispatch(before: unknown, after: unknown, changes: ChangeNode, id: number, patch: Patch, errors: unknown[]): void {
    const walk = (n: WatchNode, c: ChangeNode | null, old: unknown, cur: unknown) => {
      if (old === cur) return
      if (n.watchers) {
        const revision = scoped(id, patch, n.segs, old, cur)
        for (const w of [...n.watchers]) {
          try {
            w.fn(cur, revision)
          } catch (e) {
            errors.push(e)
          }
        }
      }
      if (!n.children) return
      if (!c || c.all) {
        for (const [k, next] of n.children) walk(next, null, child(old, k), child(cur, k))
      } else if (c.children) {
        for (const [k, cc] of c.children) {
          const next = n.children.get(k)
          if (next) walk(next, cc, child(old, k), child(cur, k))
        }
      }
    }
    walk(this.root, changes, before, after)
  }
}

/** A revision whose patch is scoped on first read: most watchers only want the value. */
function scoped(id: number, patch: Patch, at: Segments, old: unknown, cur: unknown): Revision {
  let cached: Patch | undefined
  return {
    id,
    get patch() {
      return (cached ??= scopePatch(patch, at, old, cur))
    },
  }
}

/** Removes nodes left with neither watchers nor children, so unsubscribing leaks nothing. */
function prune(n: WatchNode): number {
  let removed = 0
  let cur = n
  if (cur.watchers?.size === 0) cur.watchers = null
  while (cur.parent && !cur.watchers && !cur.children) {
    const parent: WatchNode = cur.parent
    parent.children!.delete(cur.key)
    if (parent.children!.size === 0) parent.children = null
    removed++
    cur = parent
  }
  return removed
}

