import { useState, type FormEvent } from 'react'
import { useApply } from './state'

export function AddTodo() {
  const apply = useApply()
  const [title, setTitle] = useState('')
  const add = (e: FormEvent) => {
    e.preventDefault()
    if (!title.trim()) return
    apply([{ op: 'add', path: '/todos/-', value: { id: crypto.randomUUID(), title: title.trim(), done: false } }])
    setTitle('')
  }
  return (
    <form onSubmit={add}>
      <input aria-label="new todo" placeholder="What needs doing?" value={title} onChange={(e) => setTitle(e.target.value)} />
      <button type="submit">Add</button>
    </form>
  )
}
