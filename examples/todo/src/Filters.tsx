import { memo } from 'react'
import { usePatch, usePatchSelector, useSet, useStore, type Filter } from './state'

const FILTERS: Filter[] = ['all', 'open', 'done']

export const Filters = memo(function Filters() {
  const filter = usePatch('/filter')
  const left = usePatchSelector('/todos', (todos) => todos.filter((t) => !t.done).length)
  const done = usePatchSelector('/todos', (todos) => todos.length) - left
  const set = useSet()
  const store = useStore()
  // One transaction: one revision, so one undo step however many todos it removes.
  const clearDone = () =>
    store.transact((tx) => {
      const todos = tx.get('/todos')
      for (let i = todos.length - 1; i >= 0; i--) if (todos[i]!.done) tx.apply([{ op: 'remove', path: `/todos/${i}` }])
    })
  return (
    <nav className="filters">
      <span className="left">{left} left</span>
      {FILTERS.map((f) => (
        <button key={f} aria-pressed={filter === f} onClick={() => set('/filter', f)}>
          {f}
        </button>
      ))}
      <button className="clear" disabled={done === 0} onClick={clearDone}>
        Clear done
      </button>
    </nav>
  )
})
