import { memo } from 'react'
import { matches, usePatch, usePatchSelector, type Todo } from './state'
import { TodoRow } from './TodoRow'

type Visible = { i: number; id: string }[]
const sameRows = (a: Visible, b: Visible) => a.length === b.length && a.every((r, k) => r.i === b[k]!.i && r.id === b[k]!.id)

/**
 * Renders when the set of visible rows changes, never when a row's content does: each
 * row watches its own pointer.
 */
export const TodoList = memo(function TodoList() {
  const filter = usePatch('/filter')
  const rows = usePatchSelector(
    '/todos',
    (todos) => todos.flatMap((t, i) => (matches(t as Todo, filter) ? [{ i, id: t.id }] : [])),
    sameRows,
  )
  return (
    <ul className="todos">
      {rows.map(({ i, id }) => (
        <TodoRow key={id} i={i} />
      ))}
    </ul>
  )
})
