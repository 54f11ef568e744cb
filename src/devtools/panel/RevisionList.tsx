import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { EntryMessage } from '../protocol'
import { summarize } from './summary'

/** One row of the list: an entry, and its patch scoped to the filter's pointer when filtering. */
export interface ListRow {
  readonly index: number
  readonly entry: EntryMessage
}

export const ROW_HEIGHT = 24
/** Rows rendered beyond the visible ones on each side, so a fast scroll shows no blank band. */
const OVERSCAN = 8

interface Props {
  rows: readonly ListRow[]
  /** Position in `rows` of the selected row, or -1. */
  selected: number
  /** The id the store shows while travelling (null: live): later rows are dimmed. */
  at: number | null
  onSelect(position: number): void
  onActivate(position: number): void
  /** Reorder: the row at `from` takes the place of the row at `to` (Alt+arrows, or drag and drop). */
  onMove(from: number, to: number): void
}

/**
 * The revisions as a virtualized listbox: only the rows in view (plus a few) are in the DOM,
 * so 10,000 entries scroll at frame rate. Focus stays on the listbox and the selected row is
 * its active descendant; arrow keys, Page keys, Home and End move the selection, Enter jumps,
 * Alt+ArrowUp / Alt+ArrowDown move the selected revision itself (as does dragging a row onto another).
 */
export function RevisionList({ rows, selected, at, onSelect, onActivate, onMove }: Props) {
  const box = useRef<HTMLDivElement>(null)
  const dragged = useRef<number | null>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [height, setHeight] = useState(400)

  useLayoutEffect(() => {
    const el = box.current!
    const measure = () => setHeight(el.clientHeight || 400)
    measure()
    if (typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(measure)
    observer.observe(el)
    return () => observer.disconnect()
  }, [])

  // Keep the selected row in view when the keyboard (or a step, or a new head) moves it. A
  // layout effect: its state update renders before paint and in the same commit. From a
  // passive effect it would stay pending behind a burst of messages, each a sync render of
  // the feed's store, and React would count those as nested updates until error #185.
  useLayoutEffect(() => {
    const el = box.current
    if (!el || selected < 0) return
    const top = selected * ROW_HEIGHT
    if (top < el.scrollTop) el.scrollTop = top
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight
    // Render the rows there now, not on the scroll event a frame later (no blank frame).
    setScrollTop(el.scrollTop)
  }, [selected])

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN)
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN)
  const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1)

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault()
      const to = selected + (e.key === 'ArrowUp' ? -1 : 1)
      if (selected >= 0 && to >= 0 && to < rows.length) onMove(selected, to)
      return
    }
    const move = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page }[e.key]
    let next: number | undefined
    if (move !== undefined) next = selected < 0 ? (move > 0 ? 0 : rows.length - 1) : selected + move
    else if (e.key === 'Home') next = 0
    else if (e.key === 'End') next = rows.length - 1
    else if (e.key === 'Enter' && selected >= 0) {
      e.preventDefault()
      onActivate(selected)
      return
    }
    if (next === undefined || rows.length === 0) return
    e.preventDefault()
    onSelect(Math.max(0, Math.min(rows.length - 1, next)))
  }

  const visible = []
  for (let p = first; p < last; p++) {
    const { entry } = rows[p]!
    const classes = ['row']
    if (entry.skipped) classes.push('skipped')
    if (entry.error) classes.push('failed')
    if (at !== null && entry.id > at) classes.push('future')
    visible.push(
      <div
        key={entry.id}
        id={`pd-rev-${entry.id}`}
        role="option"
        aria-selected={p === selected}
        aria-posinset={p + 1}
        aria-setsize={rows.length}
        className={classes.join(' ')}
        style={{ top: p * ROW_HEIGHT, height: ROW_HEIGHT }}
        onClick={() => onSelect(p)}
        onDoubleClick={() => onActivate(p)}
        draggable
        onDragStart={(e) => {
          dragged.current = p
          e.dataTransfer.effectAllowed = 'move'
          e.dataTransfer.setData('text/plain', `#${entry.id}`)
        }}
        onDragOver={(e) => {
          if (dragged.current === null) return // not one of our rows: no drop here
          e.preventDefault()
          e.dataTransfer.dropEffect = 'move'
        }}
        onDrop={(e) => {
          e.preventDefault()
          if (dragged.current !== null) onMove(dragged.current, p)
          dragged.current = null
        }}
        onDragEnd={() => (dragged.current = null)}
        title={entry.error && `${entry.error.code}: ${entry.error.message}`}
      >
        <span className="id">#{entry.id}</span>{' '}
        <span className="text">{summarize(entry.patch, entry.label)}</span>
        {entry.skipped && <span className="note">skipped</span>}
        {at === entry.id && <span className="note">◀ shown</span>}
      </div>,
    )
  }

  return (
    <div
      ref={box}
      className="list"
      role="listbox"
      aria-label="Revisions"
      tabIndex={0}
      aria-activedescendant={selected >= 0 && selected < rows.length ? `pd-rev-${rows[selected]!.entry.id}` : undefined}
      onKeyDown={onKeyDown}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div style={{ height: rows.length * ROW_HEIGHT, position: 'relative' }}>{visible}</div>
      {rows.length === 0 && <div className="empty">No revisions recorded yet.</div>}
    </div>
  )
}
