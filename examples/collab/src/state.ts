export interface Todo {
  id: string
  title: string
  done: boolean
}

/** The shared document: everyone connected reads and writes the same list. */
export interface Shared {
  todos: Todo[]
}

export const initialShared: Shared = {
  todos: [
    { id: 'welcome', title: 'Open this page in two browsers', done: false },
    { id: 'offline', title: 'Go offline in one, write, come back', done: false },
  ],
}
