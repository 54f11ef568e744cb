import { useState, type FormEvent } from 'react'
import { useApply } from './state'

export function AddTodo() {
  const apply = useApply()
  const [title, setTitle] = useState('')
  const [refused, setRefused] = useState(false)
  const add = (e: FormEvent) => {
    e.preventDefault()
    if (!title.trim()) return setRefused(true)
    apply([{ op: 'add', path: '/todos/-', value: { id: crypto.randomUUID(), title: title.trim(), done: false } }])
    setTitle('')
  }
  return (
    <form onSubmit={add} noValidate>
      <div className="add">
        <input
          aria-label="new todo"
          aria-invalid={refused}
          aria-describedby={refused ? 'blank' : undefined}
          placeholder="What needs doing?"
          value={title}
          onChange={(e) => {
            setTitle(e.target.value)
            setRefused(false)
          }}
        />
        <button type="submit">Add</button>
      </div>
      {refused && (
        <p id="blank" className="refused" role="alert">
          Type something first: a blank todo is not added.
        </p>
      )}
    </form>
  )
}
