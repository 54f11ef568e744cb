import { memo, useEffect, useState } from 'react'
import { useUndo } from 'patchdb/react'

/** Typing in a text field that holds text: Ctrl+Z there is the field's own undo. */
const typing = (target: EventTarget | null) =>
  target instanceof HTMLInputElement && (target.type === 'text' || target.type === 'search') && target.value !== ''

/**
 * Undo and redo of the todos, as buttons that say what they will do and as Ctrl+Z /
 * Ctrl+Shift+Z (Ctrl+Y too; Cmd on a Mac). A step that was changed elsewhere since (in
 * another tab) cannot be undone: the manager drops it and says so.
 */
export const UndoBar = memo(function UndoBar() {
  const { undo, redo, canUndo, canRedo, undoLabel, redoLabel } = useUndo()
  const [message, setMessage] = useState('')
  const run = (which: 'undo' | 'redo') => {
    // Off while devtools show a past revision (the store refuses writes then), or with nothing to do.
    if (!(which === 'undo' ? canUndo : canRedo)) return
    const result = which === 'undo' ? undo() : redo()
    setMessage(result.status === 'conflict' ? `Could not ${which} ${result.step.label ?? 'that'}: it was changed elsewhere.` : '')
  }
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || typing(e.target)) return
      const key = e.key.toLowerCase()
      if (key === 'z' && !e.shiftKey) run('undo')
      else if ((key === 'z' && e.shiftKey) || key === 'y') run('redo')
      else return
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })
  return (
    <div className="undo-bar">
      <button className="undo" disabled={!canUndo} onClick={() => run('undo')} title="Ctrl+Z">
        {undoLabel ? `Undo ${undoLabel}` : 'Undo'}
      </button>
      <button className="redo" disabled={!canRedo} onClick={() => run('redo')} title="Ctrl+Shift+Z">
        {redoLabel ? `Redo ${redoLabel}` : 'Redo'}
      </button>
      <span role="status" className="message">
        {message}
      </span>
    </div>
  )
})
