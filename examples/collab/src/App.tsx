import { useState } from 'react'
import { useStore, usePatch, useSyncStatus } from 'patchdb/react'
import type { Todo } from './state'

export function App() {
  return (
    <main>
      <h1>Shared todos</h1>
      <SyncBadge />
      <AddTodo />
      <TodoList />
    </main>
  )
}

/** Connection, writes not yet acknowledged, and the last problem, from useSyncStatus(). */
function SyncBadge() {
  const { status, pending, error } = useSyncStatus()
  return (
    <p className="sync" data-status={status} data-pending={pending}>
      <span className="dot" aria-hidden /> {status}
      {pending > 0 ? ` · ${pending} unsent` : ' · all saved'}
      {error && status !== 'online' ? <span className="error"> · {error.message}</span> : null}
    </p>
  )
}

function AddTodo() {
  const store = useStore()
  const [title, setTitle] = useState('')
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        const t = title.trim()
        if (!t) return
        // Appended where the list ends on the server: an index would shift under others' writes.
        store.apply([{ op: 'add', path: '/todos/-', value: { id: crypto.randomUUID(), title: t, done: false } }])
        setTitle('')
      }}
    >
      <input aria-label="new todo" placeholder="What needs doing?" value={title} onChange={(e) => setTitle(e.target.value)} />
      <button type="submit">Add</button>
    </form>
  )
}

function TodoList() {
  const todos = (usePatch('/todos') as Todo[] | undefined) ?? []
  return (
    <ul>
      {todos.map((todo, i) => (
        <TodoRow key={todo.id} todo={todo} index={i} />
      ))}
    </ul>
  )
}

function TodoRow({ todo, index }: { todo: Todo; index: number }) {
  const store = useStore()
  // The `test` ops name the row by its id: if someone moved or removed it meanwhile, the
  // server refuses the write instead of changing another row.
  const at = `/todos/${index}`
  return (
    <li className="todo" data-done={todo.done}>
      <label>
        <input
          type="checkbox"
          checked={todo.done}
          onChange={() =>
            store.apply([
              { op: 'test', path: `${at}/id`, value: todo.id },
              { op: 'replace', path: `${at}/done`, value: !todo.done },
            ])
          }
        />
        <span className="title">{todo.title}</span>
      </label>
      <button
        aria-label={`delete ${todo.title}`}
        onClick={() =>
          store.apply([
            { op: 'test', path: `${at}/id`, value: todo.id },
            { op: 'remove', path: at },
          ])
        }
      >
        ×
      </button>
    </li>
  )
}
