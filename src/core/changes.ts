import type { Segments } from './pointer'

/** A node of the change tree: `all` means anything below it may have changed. */
export interface ChangeNode {
  all: boolean
  children: Map<string, ChangeNode> | null
}

/**
 * Where a revision may have changed the document: the paths its operations wrote, with
 * a whole array marked when an element was inserted or removed (its indices shift).
 * Dispatch walks only these branches, so it costs O(depth + watchers called).
 */
export class ChangeTree {
  readonly root: ChangeNode = { all: false, children: null }

  /** Marks the node at the first `depth` segments of `segs`. */
  mark(segs: Segments, depth = segs.length): void {
    let node = this.root
    for (let i = 0; i < depth; i++) {
      const s = segs[i]
      if (node.all) return
      node.children ??= new Map()
      let next = node.children.get(s)
      if (!next) node.children.set(s, (next = { all: false, children: null }))
      node = next
    }
    node.all = true
    node.children = null
  }
}
