import { createRoot } from 'react-dom/client'
import { createUndoManager } from 'patchdb'
import { openBrowserStore } from 'patchdb/browser'
import { PatchDevtools } from 'patchdb/devtools'
import { UndoProvider } from 'patchdb/react'
import { App } from './App'
import { describeChange } from './describe'
import { PatchProvider, initialState, type AppState } from './state'
import './styles.css'

const root = createRoot(document.getElementById('root')!)

try {
  // IndexedDB keeps the todos across reloads; the tabs of this origin share one database
  // (one tab writes it, the others follow over BroadcastChannel).
  const store = await openBrowserStore<AppState>('patchdb-todos', { value: initialState, history: 500 })
  // Undo covers the todos only: a filter click or a theme change is not an undo step.
  const undo = createUndoManager(store, { scope: ['/todos'], limit: 100, describe: describeChange(store) })
  // No <StrictMode> here: it renders twice in development, which would double the counters.
  root.render(
    <PatchProvider store={store}>
      <UndoProvider manager={undo}>
        <App />
      </UndoProvider>
      {/* The devtools toggle in the corner. A sibling of <App>: the panel's renders never reach
          the app. `production` opts in to showing it in the production build this demo serves;
          an app would rather render it only in development (see the README). */}
      <PatchDevtools store={store} production />
    </PatchProvider>,
  )
} catch (e) {
  root.render(<p role="alert">Could not open the todo database: {String(e)}</p>)
}
