import { createPatchHooks } from 'patchdb/react'

export interface Todo {
  id: string
  title: string
  done: boolean
}
export type Filter = 'all' | 'open' | 'done'

/** The whole app state: one JSON document. */
export interface AppState {
  todos: Todo[]
  filter: Filter
  settings: { theme: 'light' | 'dark'; showCounters: boolean }
}

export const initialState: AppState = {
  todos: [
    { id: 'a', title: 'Read the patch log', done: true },
    { id: 'b', title: 'Watch a pointer', done: false },
  ],
  filter: 'all',
  settings: { theme: 'light', showCounters: true },
}

export const { PatchProvider, usePatch, usePatchSelector, useApply, useSet, useStore, useRevision } = createPatchHooks<AppState>()

export const matches = (todo: Todo, filter: Filter) => filter === 'all' || (filter === 'done') === todo.done
