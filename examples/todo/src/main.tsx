import { createRoot } from 'react-dom/client'
import { createStore } from 'patchdb'
import { App } from './App'
import { PatchProvider, initialState, type AppState } from './state'
import './styles.css'

const store = createStore<AppState>({ value: initialState }, { history: 500 })

// No <StrictMode> here: it renders twice in development, which would double the counters.
createRoot(document.getElementById('root')!).render(
  <PatchProvider store={store}>
    <App />
  </PatchProvider>,
)
