import { AddTodo } from './AddTodo'
import { Filters } from './Filters'
import { SaveStatus } from './SaveStatus'
import { Settings } from './Settings'
import { TodoList } from './TodoList'
import { UndoBar } from './UndoBar'

export function App() {
  return (
    <main>
      <h1>todos</h1>
      <AddTodo />
      <TodoList />
      <p className="hint">Double-click a todo to edit it. Ctrl+Z undoes, Ctrl+Shift+Z redoes.</p>
      <footer>
        <Filters />
        <UndoBar />
      </footer>
      <Settings />
      <SaveStatus />
    </main>
  )
}
