import { useRef, useState } from 'react'
import type { Feed, FeedState } from './feed'
import { download, exportName } from './files'

interface Props {
  feed: Feed
  state: FeedState
  playing: boolean
  onStep(delta: -1 | 1): void
  onPlay(): void
  onMessage(text: string | null): void
}

/**
 * The panel's commands for the whole log: travel, then recording and the log itself, then
 * the status, on one line (the selected revision's commands sit by its tabs, see
 * SelectionBar). Names are the contract users' scripts rely on.
 */
export function Toolbar({ feed, state, playing, onStep, onPlay, onMessage }: Props) {
  const file = useRef<HTMLInputElement>(null)
  const [busy, setBusy] = useState(false)
  const none = state.entries.length === 0

  const exportLog = async () => {
    setBusy(true)
    try {
      const log = await feed.exportLog()
      download(JSON.stringify(log, null, 2), exportName(state.name))
      onMessage(`Exported ${log.revisions.length} revisions.`)
    } catch (e) {
      onMessage(`Export failed: ${(e as Error).message}`)
    } finally {
      setBusy(false)
    }
  }
  const importFile = async (f: File | undefined) => {
    if (!f) return
    try {
      feed.importLog(await f.text())
      onMessage(`Imported ${f.name}.`)
    } catch (e) {
      onMessage(`Import refused: ${(e as Error).message}`)
    } finally {
      if (file.current) file.current.value = '' // the same file can be picked again
    }
  }

  const status = `${state.viewing === null ? 'live' : `showing #${state.viewing}`} · ${state.entries.length} recorded${state.paused ? ' · paused' : ''}`
  return (
    <div className="toolbar" role="toolbar" aria-label="Devtools commands">
      <span className="title" title={`patchdb${state.name ? ` · ${state.name}` : ''}`}>patchdb{state.name ? ` · ${state.name}` : ''}</span>
      <span className="group">
        <button type="button" onClick={() => onStep(-1)} disabled={none}>Step back</button>
        <button type="button" onClick={() => onStep(1)} disabled={none || state.viewing === null}>Step forward</button>
        <button type="button" onClick={onPlay} disabled={none} aria-pressed={playing}>Play</button>
        <button type="button" onClick={() => feed.live()} disabled={state.viewing === null}>Live</button>
      </span>
      <span className="group">
        <button type="button" onClick={() => feed.pause(!state.paused)} aria-pressed={state.paused}>
          {state.paused ? 'Resume recording' : 'Pause recording'}
        </button>
        <button type="button" onClick={exportLog} disabled={busy}>Export</button>
        <button type="button" onClick={() => file.current?.click()}>Import</button>
        <input ref={file} type="file" accept="application/json,.json" aria-label="Import file" tabIndex={-1} onChange={(e) => void importFile(e.currentTarget.files?.[0])} />
        <button type="button" onClick={() => feed.commit()} disabled={none}>Commit</button>
        <button type="button" onClick={() => feed.reset()} disabled={none}>Reset</button>
      </span>
      {/* Shrinks first on a narrow screen; the whole text is its tooltip. */}
      <span className="status" role="status" title={status}>
        {status}
      </span>
    </div>
  )
}
