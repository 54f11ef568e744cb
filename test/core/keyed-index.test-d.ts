import { describe, expectTypeOf, it } from 'vitest'
import { createIndex, createStore, type JsonValue, type KeyedIndex, type ReadonlyDeep } from 'patchdb'
import { useItem, useKeys } from 'patchdb/react'

interface Todo {
  id: number
  title: string
}
interface App {
  todos: Todo[]
  tags?: { name: string }[]
  settings: { theme: string }
}
const store = createStore<App>({ value: { todos: [], settings: { theme: 'light' } } })

describe('createIndex is typed by the document, like usePatch', () => {
  it('infers the item and key types from the pointer and the key function', () => {
    const todos = createIndex(store, '/todos', (todo) => {
      expectTypeOf(todo).toEqualTypeOf<ReadonlyDeep<Todo>>()
      return todo.id
    })
    expectTypeOf(todos).toEqualTypeOf<KeyedIndex<ReadonlyDeep<Todo>, number>>()
    expectTypeOf(todos.keys()).toEqualTypeOf<readonly number[]>()
    expectTypeOf(todos.get(1)).toEqualTypeOf<ReadonlyDeep<Todo> | undefined>()
    expectTypeOf(useKeys(todos)).toEqualTypeOf<readonly number[]>()
    expectTypeOf(useItem(todos, 1)).toEqualTypeOf<ReadonlyDeep<Todo> | undefined>()
    // an optional list
    const tags = createIndex(store, ['tags'], (tag) => tag.name)
    expectTypeOf(tags.get('x')).toEqualTypeOf<ReadonlyDeep<{ name: string }> | undefined>()
  })

  it('refuses a pointer the document does not have, a key of the wrong type, or a key of another type', () => {
    // @ts-expect-error no key 'todoz'
    createIndex(store, '/todoz', (t) => t)
    // @ts-expect-error a key is a string or a number
    createIndex(store, '/todos', (todo) => todo.id > 1)
    // @ts-expect-error the item has no 'name'
    createIndex(store, '/todos', (todo) => todo.name)
    const todos = createIndex(store, '/todos', (todo) => todo.id)
    // @ts-expect-error keys are numbers here
    todos.get('1')
  })

  it('a loose store gives JSON items', () => {
    const loose = createStore()
    const index = createIndex(loose, '/list', (item) => String(item))
    expectTypeOf(index.get('a')).toEqualTypeOf<JsonValue | undefined>()
  })
})
