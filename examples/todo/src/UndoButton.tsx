import { memo, useMemo } from 'react'
import { useRevision, useStore } from './state'
import { createUndo } from './undo'

export const UndoButton = memo(function UndoButton() {
  const store = useStore()
  const undo = useMemo(() => createUndo(store), [store])
  const revision = useRevision()
  return (
    <button className="undo" disabled={!undo.canUndo()} onClick={() => undo.undo()} title={`revision ${revision}`}>
      Undo
    </button>
  )
})
