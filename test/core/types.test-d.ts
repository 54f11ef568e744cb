import { describe, expectTypeOf, it } from 'vitest'
import { createStore, type JsonValue, type Pointer, type Revision } from 'patchdb'

interface Todo {
  title: string
  done: boolean
  tags?: string[]
}
interface App {
  todos: Todo[]
  settings: { theme: 'light' | 'dark'; 'a/b': number; 'm~n': boolean }
  byId: Record<string, Todo>
  maybe: { x: number } | null
}

type Deep = { l1: { l2: { l3: { l4: { l5: { l6: { l7: { l8: { l9: { l10: { leaf: number }[] } } } } } } } } } }

describe('typed pointers', () => {
  const store = createStore<App>({
    value: { todos: [], settings: { theme: 'light', 'a/b': 1, 'm~n': true }, byId: {}, maybe: null },
  })

  it('get returns the type at a literal pointer', () => {
    expectTypeOf(store.get('/settings/theme')).toEqualTypeOf<'light' | 'dark'>()
    expectTypeOf(store.get('/todos/0/done')).toEqualTypeOf<boolean | undefined>()
    expectTypeOf(store.get('/todos/3')).toEqualTypeOf<Readonly<{ readonly title: string; readonly done: boolean; readonly tags?: readonly string[] }> | undefined>()
    expectTypeOf(store.get('/byId/abc/title')).toEqualTypeOf<string | undefined>()
    expectTypeOf(store.get('/settings/a~1b')).toEqualTypeOf<number>()
    expectTypeOf(store.get('/settings/m~0n')).toEqualTypeOf<boolean>()
    expectTypeOf(store.get('/maybe/x')).toEqualTypeOf<number | undefined>()
    expectTypeOf(store.get(['settings', 'theme'] as const)).toEqualTypeOf<'light' | 'dark'>()
    expectTypeOf(store.get().settings.theme).toEqualTypeOf<'light' | 'dark'>()
  })

  it('get is loose JSON for a pointer that is not a literal', () => {
    const p: string = '/settings'
    expectTypeOf(store.get(p)).toEqualTypeOf<JsonValue | undefined>()
  })

  it('refuses pointers that are not in the document', () => {
    // @ts-expect-error not a key of settings
    store.get('/settings/colour')
    // @ts-expect-error not a pointer
    store.get('settings')
    // @ts-expect-error wrong value type for the pointer
    store.set('/settings/theme', 'blue')
    // @ts-expect-error watch takes only pointers of the document
    store.watch('/nope', () => {})
  })

  it('types set values and watch callbacks', () => {
    store.set('/settings/theme', 'dark')
    store.set('/todos/0', { title: 'x', done: false })
    store.watch('/todos/0/title', (title, revision) => {
      expectTypeOf(title).toEqualTypeOf<string | undefined>()
      expectTypeOf(revision).toEqualTypeOf<Revision>()
    })
    store.transact((tx) => {
      expectTypeOf(tx.get('/settings/theme')).toEqualTypeOf<'light' | 'dark'>()
      tx.set('/settings/theme', 'light')
    })
  })

  it('Pointer<T> lists the pointers of a document', () => {
    expectTypeOf<'/settings/theme'>().toExtend<Pointer<App>>()
    expectTypeOf<'/todos/7/tags/0'>().toExtend<Pointer<App>>()
    expectTypeOf<''>().toExtend<Pointer<App>>()
    expectTypeOf<'/settings/nope'>().not.toExtend<Pointer<App>>()
    expectTypeOf<Pointer<JsonValue>>().toEqualTypeOf<string>()
  })

  it('handles a document 10 levels deep without TS2589', () => {
    const deep = createStore<Deep>({ value: { l1: { l2: { l3: { l4: { l5: { l6: { l7: { l8: { l9: { l10: [] } } } } } } } } } } })
    expectTypeOf(deep.get('/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/0/leaf')).toEqualTypeOf<number | undefined>()
    deep.watch('/l1/l2/l3/l4/l5/l6/l7/l8/l9', (v) => expectTypeOf(v).not.toBeAny())
    // @ts-expect-error a wrong key 9 levels down
    deep.get('/l1/l2/l3/l4/l5/l6/l7/l8/l9/l11')
  })

  it('an untyped store is JSON', () => {
    const loose = createStore()
    expectTypeOf(loose.get('/anything/at/all')).toEqualTypeOf<JsonValue | undefined>()
    loose.set('/x', { any: ['json'] })
  })
})
