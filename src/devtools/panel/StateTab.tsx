import { useEffect, useMemo, useRef, useState } from 'react'
import type { Patch } from 'patchdb'
import { changedAncestors, changedPointers } from './changed'
import { JsonNode, Tree, type TreeContext } from './JsonTree'
import { searchDocument } from './search'

const MAX_MATCHES = 200

/** The document at the selected revision as a collapsible tree: changed nodes highlighted, search by key or value, copy a node's pointer. */
export function StateTab({ doc, before, patch }: { doc: unknown; before: unknown; patch: Patch }) {
  const [query, setQuery] = useState('')
  const [copied, setCopied] = useState<string | null>(null)
  const matches = useMemo(() => (query ? searchDocument(doc, query, MAX_MATCHES) : []), [doc, query])
  const ctx = useMemo<TreeContext>(() => {
    const open = new Set<string>()
    for (const p of changedAncestors(matches)) open.add(p)
    return {
      changed: changedAncestors(changedPointers(patch, before)),
      open,
      matches: new Set(matches),
      onCopy(pointer) {
        setCopied(pointer)
        void navigator.clipboard?.writeText(pointer).catch(() => {})
      },
    }
  }, [patch, before, matches])

  // Bring the deepest changed node into view: in a 100,000-row array it may be far down.
  const tree = useRef<HTMLUListElement>(null)
  useEffect(() => {
    const changed = tree.current?.querySelectorAll('.node.changed')
    changed?.[changed.length - 1]?.scrollIntoView?.({ block: 'nearest' })
  }, [ctx])

  return (
    <div>
      <div className="search">
        <input type="search" aria-label="Search the state" placeholder="Search keys and values" value={query} onChange={(e) => setQuery(e.currentTarget.value)} />
        {query && (
          <span className="note" role="status">
            {matches.length >= MAX_MATCHES ? `${MAX_MATCHES}+` : matches.length} match{matches.length === 1 ? '' : 'es'}
          </span>
        )}
      </div>
      {copied !== null && (
        <p className="note" role="status">
          Copied pointer {copied || '""'}
        </p>
      )}
      <Tree.Provider value={ctx}>
        {/* A new search re-opens the tree: the key resets each node's own toggles. */}
        <ul ref={tree} className="tree root" role="tree" aria-label="State" key={query}>
          <JsonNode name="(root)" segs={[]} value={doc} />
        </ul>
      </Tree.Provider>
    </div>
  )
}
