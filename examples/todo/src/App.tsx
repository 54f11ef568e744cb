import { AddTodo } from './AddTodo'
import { Filters } from './Filters'
import { Settings } from './Settings'
import { TodoList } from './TodoList'
import { UndoButton } from './UndoButton'

export function App() {
  return (
    <main>
      <h1>todos</h1>
      <AddTodo />
      <TodoList />
      <footer>
        <Filters />
        <UndoButton />
      </footer>
      <Settings />
    </main>
  )
}
