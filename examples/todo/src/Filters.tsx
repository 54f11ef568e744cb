import { memo } from 'react'
import { usePatch, usePatchSelector, useSet, type Filter } from './state'

const FILTERS: Filter[] = ['all', 'open', 'done']

export const Filters = memo(function Filters() {
  const filter = usePatch('/filter')
  const left = usePatchSelector('/todos', (todos) => todos.filter((t) => !t.done).length)
  const set = useSet()
  return (
    <nav className="filters">
      <span className="left">{left} left</span>
      {FILTERS.map((f) => (
        <button key={f} aria-pressed={filter === f} onClick={() => set('/filter', f)}>
          {f}
        </button>
      ))}
    </nav>
  )
})
