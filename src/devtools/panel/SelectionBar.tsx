import type { Feed } from './feed'

interface Props {
  feed: Feed
  /** The selected entry's id and whether it is skipped, when one is selected. */
  selected: { id: number; skipped: boolean } | null
  /** Whether the selected revision can move one place earlier / later in the replay order. */
  canMove: { earlier: boolean; later: boolean }
  onMove(delta: -1 | 1): void
}

/**
 * The commands for the selected revision, beside the tabs that show it (the panel's toolbar
 * keeps the commands for the whole log, so it fits one line). Names are the contract.
 */
export function SelectionBar({ feed, selected, canMove, onMove }: Props) {
  return (
    <div className="selbar" role="toolbar" aria-label="Selected revision">
      <button type="button" onClick={() => selected && feed.jump(selected.id)} disabled={!selected}>Jump</button>
      <button type="button" onClick={() => selected && feed.toggle(selected.id)} disabled={!selected}>
        {selected?.skipped ? 'Unskip' : 'Skip'}
      </button>
      <button type="button" onClick={() => onMove(-1)} disabled={!canMove.earlier} aria-keyshortcuts="Alt+ArrowUp">Move earlier</button>
      <button type="button" onClick={() => onMove(1)} disabled={!canMove.later} aria-keyshortcuts="Alt+ArrowDown">Move later</button>
    </div>
  )
}
