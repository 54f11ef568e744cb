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
          {keys.length > shown && (
            <li>
              <button type="button" onClick={() => setShown(shown + PAGE * 10)}>
                Show more ({keys.length - shown} hidden)
              </button>
            </li>
          )}
        </ul>
      )}
    </li>
  )
})
