'use client'
import { useState, type FormEvent } from 'react'
import { send } from '../lib/send'
import { usePatch, usePatchSelector, useRevision, useStore } from '../lib/hooks'

/** The list, read from the browser's store with typed hooks; every write goes to the server. */
export function Todos() {
  const store = useStore()
  // The list renders again when todos come or go, not when one of them changes (its row does).
  const ids = usePatchSelector('/todos', (todos) => todos.map((todo) => todo.id), sameItems)
  const left = usePatchSelector('/todos', (todos) => todos.filter((todo) => !todo.done).length)
  const [title, setTitle] = useState('')

  const add = (event: FormEvent) => {
    event.preventDefault()
    if (!title.trim()) return
    setTitle('')
    void send(store, [{ op: 'add', path: '/todos/-', value: { id: crypto.randomUUID(), title: title.trim(), done: false } }])
  }

  return (
    <section>
      <form onSubmit={add}>
        <input aria-label="new todo" placeholder="What needs doing?" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
      </form>
      <ul>
        {ids.map((id, index) => (
          <Row key={id} index={index} />
        ))}
      </ul>
      <p className="left">
        {left} left · revision <span className="revision">{useRevision()}</span>
      </p>
    </section>
  )
}

const sameItems = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i])

function Row({ index }: { index: number }) {
  const store = useStore()
  const todo = usePatch(['todos', index])
  if (!todo) return null // removed by the revision that is about to re-render the list
  // `test` first: if the list moved on the server, the patch is refused rather than
  // toggling whatever todo is now at this index.
  const toggle = () =>
    void send(store, [
      { op: 'test', path: `/todos/${index}/id`, value: todo.id },
      { op: 'replace', path: `/todos/${index}/done`, value: !todo.done },
    ])
  return (
    <li className={todo.done ? 'todo done' : 'todo'}>
      <label>
        <input type="checkbox" aria-label="done" checked={todo.done} onChange={toggle} />
        <span className="title">{todo.title}</span>
      </label>
    </li>
  )
}
