import { createContext, memo, useContext, useState } from 'react'
import { formatPointer } from 'patchdb'
import { preview } from './changed'

/** Children shown before a "show more" button: a 100,000-row array renders 100 rows. */
const PAGE = 100

export interface TreeContext {
  /** Pointers on the way to a changed node (highlighted and open). */
  readonly changed: ReadonlySet<string>
  /** Pointers on the way to a search match (open). */
  readonly open: ReadonlySet<string>
  readonly matches: ReadonlySet<string>
  onCopy(pointer: string): void
}
export const Tree = createContext<TreeContext>({ changed: new Set(), open: new Set(), matches: new Set(), onCopy: () => {} })

interface NodeProps {
  name: string
  segs: readonly (string | number)[]
  value: unknown
}

/** One node of the document: a key, a value or a collapsible object/array, and a button that copies its pointer. */
export const JsonNode = memo(function JsonNode({ name, segs, value }: NodeProps) {
  const ctx = useContext(Tree)
  const pointer = formatPointer(segs)
  const [toggled, setToggled] = useState<boolean | null>(null)
  const [shown, setShown] = useState(PAGE)
  const branch = value !== null && typeof value === 'object'
  const open = branch && (toggled ?? (segs.length === 0 || ctx.changed.has(pointer) || ctx.open.has(pointer)))
  const classes = ['node']
  if (ctx.changed.has(pointer)) classes.push('changed')
  if (ctx.matches.has(pointer)) classes.push('match')
  const keys = branch ? (Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value)) : []
  const hidden = open ? pinnedBeyond(keys, shown, pointer, ctx) : []

  return (
    <li className={classes.join(' ')} role="treeitem" aria-expanded={branch ? open : undefined} aria-label={pointer || 'root'}>
      <div className="line">
        {branch ? (
          <button type="button" className="twisty" aria-label={`${open ? 'Collapse' : 'Expand'} ${pointer || 'root'}`} onClick={() => setToggled(!open)}>
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span className="twisty" />
        )}
        <span className="key">{name}</span>
        <span className="value">{branch ? (Array.isArray(value) ? `Array(${value.length})` : `{${keys.length}}`) : preview(value)}</span>
        <button type="button" className="copy" aria-label={`Copy pointer ${pointer || '""'}`} onClick={() => ctx.onCopy(pointer)}>
          copy
        </button>
      </div>
      {open && (
        <ul className="tree" role="group">
          {keys.slice(0, shown).map((k) => (
            <JsonNode key={k} name={String(k)} segs={[...segs, k]} value={(value as Record<string, unknown>)[k]} />
          ))}
          {hidden.length > 0 && (
            <li className="note" aria-hidden="true">
              ⋯
            </li>
          )}
          {hidden.map((k) => (
            <JsonNode key={k} name={String(k)} segs={[...segs, k]} value={(value as Record<string, unknown>)[k]} />
          ))}
          {keys.length > shown && (
            <li>
              <button type="button" onClick={() => setShown(shown + PAGE * 10)}>
                Show more ({keys.length - shown - hidden.length} hidden)
              </button>
            </li>
          )}
        </ul>
      )}
    </li>
  )
})

/**
 * Children past the shown page that must still be seen: on the way to a changed node or a
 * search match (so row 73,000's change is visible without paging). Found from the small
 * sets of such pointers, not by scanning a large array.
 */
function pinnedBeyond(keys: readonly (string | number)[], shown: number, pointer: string, ctx: TreeContext): (string | number)[] {
  if (keys.length <= shown) return []
  const numeric = typeof keys[0] === 'number'
  const beyond = (key: string) => (numeric ? /^\d+$/.test(key) && Number(key) >= shown && Number(key) < keys.length : keys.indexOf(key, shown) >= 0)
  const out = new Set<string>()
  for (const set of [ctx.changed, ctx.open, ctx.matches]) {
    for (const p of set) {
      if (!p.startsWith(`${pointer}/`)) continue
      const rest = p.slice(pointer.length + 1)
      const seg = rest.includes('/') ? rest.slice(0, rest.indexOf('/')) : rest
      const key = seg.replace(/~1/g, '/').replace(/~0/g, '~')
      if (beyond(key)) out.add(key)
    }
  }
  return [...out].map((k) => (numeric ? Number(k) : k)).sort((a, b) => (numeric ? (a as number) - (b as number) : 0))
}
