/** The document: the same type on the server (the durable store) and in the browser. */
export interface Todo {
  id: string
  title: string
  done: boolean
}

export interface AppState {
  todos: Todo[]
}

/** What a new data directory starts with. */
export const initialState: AppState = {
  todos: [
    { id: 'seed-1', title: 'Read the patch log', done: true },
    { id: 'seed-2', title: 'Render on the server', done: false },
  ],
}
