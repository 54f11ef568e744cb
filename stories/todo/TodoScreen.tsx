import { useEffect, useMemo } from 'react'
import { createUndoManager } from 'patchdb'
import { UndoProvider } from 'patchdb/react'
import { AddTodo } from '../../examples/todo/src/AddTodo'
import { describeChange } from '../../examples/todo/src/describe'
import { Filters } from '../../examples/todo/src/Filters'
import { Settings } from '../../examples/todo/src/Settings'
import { useStore } from '../../examples/todo/src/state'
import { TodoList } from '../../examples/todo/src/TodoList'
import { UndoBar } from '../../examples/todo/src/UndoBar'
import '../../examples/todo/src/styles.css'

/**
 * The todo example's screen over the story's store: the example's own components, without
 * its IndexedDB save indicator (a story's store lives in memory), with its undo manager.
 */
export function TodoScreen() {
  const store = useStore()
  const undo = useMemo(() => createUndoManager(store, { scope: ['/todos'], limit: 100, describe: describeChange(store) }), [store])
  useEffect(() => () => undo.dispose(), [undo])
  // Settings puts the theme on <html>: the next story starts light again.
  useEffect(() => () => void delete document.documentElement.dataset.theme, [])
  return (
    <UndoProvider manager={undo}>
      <main>
        <h1>todos</h1>
        <AddTodo />
        <TodoList />
        <footer>
          <Filters />
          <UndoBar />
        </footer>
        <Settings />
      </main>
    </UndoProvider>
  )
}
