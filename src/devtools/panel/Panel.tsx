import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { PatchError, type Patch } from 'patchdb'
import type { Feed } from './feed'
import { DiffTab } from './DiffTab'
import { PatchTab } from './PatchTab'
import { RevisionList, type ListRow } from './RevisionList'
import { SelectionBar } from './SelectionBar'
import { StateTab } from './StateTab'
import { Tabs, type Tab } from './Tabs'
import { Timeline } from './timeline'
import { Toolbar } from './Toolbar'
import { touching } from './touching'
import { WatchersTab } from './WatchersTab'

/** How long Play shows each revision. */
const PLAY_STEP_MS = 400

/** The panel's content: toolbar, pointer filter, revision list and the selected revision's tabs. */
export function Panel({ feed }: { feed: Feed }) {
  const state = useSyncExternalStore(feed.subscribe, feed.getState, feed.getState)
  const [selectedId, setSelectedId] = useState<number | null>(null)
  const [tab, setTab] = useState<Tab>('Patch')
  const [filter, setFilter] = useState('')
  const [playing, setPlaying] = useState(false)
  const [message, setMessage] = useState<string | null>(null)

  const timeline = useMemo(() => new Timeline(state.base, state.entries), [state.base, state.entries])
  const filtered = useMemo(() => {
    if (!filter) return { rows: null, scoped: null, error: null }
    try {
      const found = touching(timeline, filter)
      return {
        rows: found.map(({ index }): ListRow => ({ index, entry: state.entries[index]! })),
        scoped: new Map<number, Patch>(found.map(({ index, scoped }) => [state.entries[index]!.id, scoped])),
        error: null,
      }
    } catch (e) {
      if (!(e instanceof PatchError)) throw e
      return { rows: null, scoped: null, error: e.message }
    }
  }, [timeline, filter, state.entries])
  const rows = useMemo(() => filtered.rows ?? state.entries.map((entry, index): ListRow => ({ index, entry })), [filtered.rows, state.entries])

  // Without a choice of the user's, the selection follows what the store shows (the newest when live).
  const shownId = state.viewing ?? state.entries[state.entries.length - 1]?.id ?? null
  const effectiveId = selectedId !== null && timeline.indexOf(selectedId) >= 0 ? selectedId : shownId
  const position = effectiveId === null ? -1 : rows.findIndex((r) => r.entry.id === effectiveId)
  const index = effectiveId === null ? -1 : timeline.indexOf(effectiveId)
  const entry = index >= 0 ? state.entries[index]! : null

  const jumpTo = (position: number) => {
    const row = rows[position]
    if (!row) return
    setSelectedId(row.entry.id)
    feed.jump(row.entry.id)
  }
  // Reorder: the row at `from` takes the place of the row at `to` (of the rows shown, so a
  // filtered list moves past the next revision that touched the pointer). Before it when
  // moving up; just after it, in the whole replay order, when moving down.
  const move = (from: number, to: number) => {
    const moving = rows[from]
    const target = rows[to]
    if (!moving || !target || from === to) return
    const beforeId = to < from ? target.entry.id : (state.entries[timeline.indexOf(target.entry.id) + 1]?.id ?? null)
    setSelectedId(moving.entry.id) // the selection follows the moved revision
    feed.reorder(moving.entry.id, beforeId)
  }
  const step = (delta: -1 | 1) => {
    // Live shows the newest revision: one step back is the one before it.
    const from = state.viewing === null ? rows.length - 1 : rows.findIndex((r) => r.entry.id === state.viewing)
    const to = from + delta
    if (to >= rows.length) {
      setSelectedId(null)
      feed.live()
    } else jumpTo(Math.max(0, to))
  }

  // Play: from the first revision to the head, one revision per tick, then live.
  const playAt = useRef(0)
  useEffect(() => {
    if (!playing) return
    const timer = setInterval(() => {
      playAt.current++
      if (playAt.current >= rows.length) {
        clearInterval(timer) // now: the next tick may come before React re-renders
        setPlaying(false)
        setSelectedId(null)
        feed.live()
      } else jumpTo(playAt.current)
    }, PLAY_STEP_MS)
    return () => clearInterval(timer)
  })
  const play = () => {
    if (playing) return setPlaying(false)
    playAt.current = 0
    jumpTo(0)
    setPlaying(true)
  }

  const around = entry ? timeline.around(index) : null

  return (
    <>
      <Toolbar
        feed={feed}
        state={state}
        playing={playing}
        onStep={step}
        onPlay={play}
        onMessage={setMessage}
      />
      {(message || state.error) && (
        <p className="note" role="alert" style={{ margin: '2px 6px' }}>
          {state.error ?? message}
        </p>
      )}
      <div className="body">
        <div className="side">
          <div className="filter">
            <input
              type="text"
              aria-label="Filter by pointer"
              placeholder="Filter by pointer, e.g. /todos/0"
              value={filter}
              spellCheck={false}
              onChange={(e) => setFilter(e.currentTarget.value)}
            />
            {filtered.error && <div className="error">{filtered.error}</div>}
          </div>
          <RevisionList
            rows={rows}
            selected={position}
            at={state.viewing}
            onSelect={(p) => setSelectedId(rows[p]!.entry.id)}
            onActivate={jumpTo}
            onMove={move}
          />
        </div>
        <div className="main">
          <div className="mainbar">
            <Tabs tab={tab} onChange={setTab} />
            <SelectionBar
              feed={feed}
              selected={entry && { id: entry.id, skipped: entry.skipped }}
              canMove={{ earlier: position > 0, later: position >= 0 && position < rows.length - 1 }}
              onMove={(delta) => move(position, position + delta)}
            />
          </div>
          <div className="tabpanel" id="pd-tabpanel" role="tabpanel" aria-labelledby={`pd-tab-${tab}`} aria-label={tab}>
            {!entry || !around ? (
              <p className="empty">Select a revision.</p>
            ) : tab === 'Patch' ? (
              <PatchTab entry={entry} scoped={filtered.scoped?.get(entry.id)} pointer={filter} />
            ) : tab === 'Diff' ? (
              <DiffTab patch={entry.patch} before={around.before} after={around.after} />
            ) : tab === 'State' ? (
              <StateTab doc={around.after} before={around.before} patch={entry.skipped || entry.error ? [] : entry.patch} />
            ) : (
              <WatchersTab entry={entry} entries={state.entries} />
            )}
          </div>
        </div>
      </div>
    </>
  )
}
