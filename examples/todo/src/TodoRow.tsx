import { memo, useState } from 'react'
import { RenderCount } from './RenderCount'
import { useApply, usePatch, useSet } from './state'
import { useRenderCount } from './useRenderCount'

export const TodoRow = memo(function TodoRow({ i }: { i: number }) {
  const todo = usePatch(['todos', i])
  const set = useSet()
  const apply = useApply()
  const [draft, setDraft] = useState<string | null>(null)
  const renders = useRenderCount()
  if (!todo) return null
  const save = () => {
    if (draft !== null && draft.trim()) set(['todos', i, 'title'], draft.trim())
    setDraft(null)
  }
  return (
    <li className={todo.done ? 'todo done' : 'todo'} data-id={todo.id}>
      <input type="checkbox" aria-label="done" checked={todo.done} onChange={() => set(['todos', i, 'done'], !todo.done)} />
      {draft === null ? (
        <span className="title" title="Double-click to edit" onDoubleClick={() => setDraft(todo.title)}>
          {todo.title}
        </span>
      ) : (
        <input
          className="edit"
          aria-label="edit todo"
          autoFocus
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={save}
          onKeyDown={(e) => (e.key === 'Enter' ? save() : e.key === 'Escape' && setDraft(null))}
        />
      )}
      <RenderCount count={renders} />
      <button className="delete" aria-label="delete" onClick={() => apply([{ op: 'remove', path: `/todos/${i}` }])}>
        ×
      </button>
    </li>
  )
})
