import { describe, expectTypeOf, it } from 'vitest'
import { createStore, type JsonValue, type NotJson, type PathError, type PathOf, type Revision, type Store } from 'patchdb'
import { createPatchHooks, usePatch as useLoosePatch, useSet as useLooseSet, type HooksFor, type PatchHooks } from 'patchdb/react'

interface Todo {
  title: string
  done: boolean
}
interface AppState {
  todos: Todo[]
  settings: { theme: 'light' | 'dark'; 'a/b': number }
  filter: 'all' | 'open' | 'done'
}

const { usePatch, usePatchSelector, useSet, useStore, useApply, useRevision, PatchProvider } = createPatchHooks<AppState>()

describe('createPatchHooks<AppState>()', () => {
  it('usePatch returns the type at the pointer, read-only', () => {
    expectTypeOf(usePatch('/settings/theme')).toEqualTypeOf<'light' | 'dark'>()
    expectTypeOf(usePatch('/settings/a~1b')).toEqualTypeOf<number>()
    expectTypeOf(usePatch('/todos/0')).toEqualTypeOf<{ readonly title: string; readonly done: boolean } | undefined>()
    expectTypeOf(usePatch('/todos/3/done')).toEqualTypeOf<boolean | undefined>()
    expectTypeOf(usePatch('/todos')).toEqualTypeOf<readonly { readonly title: string; readonly done: boolean }[]>()
    expectTypeOf(usePatch('')).toHaveProperty('filter').toEqualTypeOf<'all' | 'open' | 'done'>()
  })

  it('usePatch and usePatchSelector take an optional { label } for devtools, typed and loose alike', () => {
    expectTypeOf(usePatch('/settings/theme', { label: 'ThemeToggle' })).toEqualTypeOf<'light' | 'dark'>()
    expectTypeOf(usePatchSelector('/todos', (t) => t.length, undefined, { label: 'Count' })).toEqualTypeOf<number>()
    expectTypeOf(useLoosePatch('/anything', { label: 'Loose' })).toEqualTypeOf<JsonValue | undefined>()
    // @ts-expect-error a label is a string
    usePatch('/settings/theme', { label: 1 })
    // @ts-expect-error options are an object
    usePatch('/settings/theme', 'ThemeToggle')
    // @ts-expect-error only label is an option
    usePatch('/todos', { lable: 'Typo' })
    const store = createStore<AppState>({ value: { todos: [], settings: { theme: 'light', 'a/b': 0 }, filter: 'all' } })
    expectTypeOf(store.watch('/filter', () => {}, { label: 'Filter' })).toEqualTypeOf<() => void>()
    // @ts-expect-error a watch label is a string
    store.watch('/filter', () => {}, { label: null })
  })

  it('usePatch takes a tuple of segments, checked like a string pointer', () => {
    expectTypeOf(usePatch(['settings', 'theme'])).toEqualTypeOf<'light' | 'dark'>()
    expectTypeOf(usePatch(['todos', 1, 'title'])).toEqualTypeOf<string | undefined>()
    expectTypeOf(usePatch(['settings', 'a/b'])).toEqualTypeOf(usePatch('/settings/a~1b'))
    // @ts-expect-error no key 'todoz'
    usePatch(['todoz', 0])
    // @ts-expect-error fields of an array element are checked too
    usePatch(['todos', 0, 'titel'])
    // @ts-expect-error an array index is a number or digits
    usePatch(['todos', 'first'])
    expectTypeOf<PathOf<AppState, readonly ['todoz', 0]>>().toEqualTypeOf<PathError<"no key 'todoz' at the root">>()
  })

  it('invalid pointers are type errors', () => {
    // @ts-expect-error no such field
    usePatch('/settings/font')
    // @ts-expect-error a pointer starts with '/'
    usePatch('settings/theme')
    // @ts-expect-error fields of an array element are checked too
    usePatch('/todos/0/titel')
    // @ts-expect-error '/' in a key must be escaped as ~1
    usePatch('/settings/a/b')
  })

  it('a pointer only known at run time is allowed and loosely typed', () => {
    const dynamic: string = '/settings/theme'
    const store = createStore<AppState>({ value: { todos: [], settings: { theme: 'light', 'a/b': 1 }, filter: 'all' } })
    // Whatever the core's store.get gives for such a pointer, the hook gives the same.
    expectTypeOf(usePatch(dynamic)).toEqualTypeOf(store.get(dynamic))
  })

  it('usePatchSelector types the selector input from the pointer', () => {
    const open = usePatchSelector('/todos', (todos) => todos.filter((t) => !t.done).length)
    expectTypeOf(open).toEqualTypeOf<number>()
    usePatchSelector('/settings', (s) => s.theme, (a, b) => {
      expectTypeOf(a).toEqualTypeOf<'light' | 'dark'>()
      return a === b
    })
    // @ts-expect-error invalid pointer
    usePatchSelector('/nope', (v) => v)
    // @ts-expect-error invalid tuple pointer
    usePatchSelector(['nope'], (v) => v)
    expectTypeOf(usePatchSelector(['todos', 0], (t) => t?.title)).toEqualTypeOf<string | undefined>()
  })

  it('useSet checks the pointer and the value; useApply, useStore, useRevision', () => {
    const set = useSet()
    expectTypeOf(set('/settings/theme', 'dark')).toEqualTypeOf<Revision | null>()
    set('/todos/0', { title: 'x', done: false })
    // @ts-expect-error not a theme
    set('/settings/theme', 'blue')
    // @ts-expect-error no such pointer
    set('/settings/font', 'x')
    set(['todos', 0, 'done'], true)
    set(['todos', '-'], { title: 'new', done: false })
    // @ts-expect-error no key 'dne' in a todo
    set(['todos', 0, 'dne'], 'x')
    // @ts-expect-error a store holds no undefined
    set('/todos/0', undefined)
    // a value read through a hook is read-only, and can be written back
    set('/todos/1', usePatch('/todos/0')!)
    expectTypeOf(useApply()).parameter(0).toExtend<readonly { op: string; path: string }[]>()
    expectTypeOf(useStore()).toEqualTypeOf<Store<AppState>>()
    expectTypeOf(useRevision()).toEqualTypeOf<number>()
  })

  it('PatchProvider takes a store of the document type, or a dump', () => {
    const store = createStore<AppState>({ value: { todos: [], settings: { theme: 'light', 'a/b': 1 }, filter: 'all' } })
    PatchProvider({ store })
    PatchProvider({ dump: { id: 3, value: store.get() as AppState } })
    // a dump read from a store (read-only, as a server's db.dump() is) needs no cast
    PatchProvider({ dump: store.dump(), onUpdate: (_result, dump) => expectTypeOf(dump.value.filter).toEqualTypeOf<'all' | 'open' | 'done'>() })
    PatchProvider({ dump: { id: 3, value: store.get() } })
    // @ts-expect-error a dump of another document
    PatchProvider({ dump: createStore<{ other: number }>({ value: { other: 1 } }).dump() })
    // @ts-expect-error a store of another document
    PatchProvider({ store: createStore<{ other: number }>({ value: { other: 1 } }) })
  })
})

describe('the document type is JSON', () => {
  it('an interface is a document type', () => {
    expectTypeOf(createPatchHooks<AppState>()).toEqualTypeOf<PatchHooks<AppState>>()
  })

  it('a type holding a Date or a function gives an error instead of hooks', () => {
    expectTypeOf(createPatchHooks<{ at: Date }>()).toEqualTypeOf<NotJson<'the document type: JsonCompatible<T> shows which parts are not JSON'>>()
    expectTypeOf<HooksFor<{ todos: { run(): void }[] }>>().not.toHaveProperty('usePatch')
    // @ts-expect-error no hooks for a document with a Date in it
    const { usePatch: never } = createPatchHooks<{ at: Date }>()
  })
})

describe('a document 10 levels deep (no TS2589)', () => {
  interface Deep {
    l1: { l2: { l3: { l4: { l5: { l6: { l7: { l8: { l9: { l10: { leaf: number; list: { id: string }[] } } } } } } } } } }
  }
  const deep = createPatchHooks<Deep>()

  it('resolves the leaf type and rejects a typo at depth 10', () => {
    expectTypeOf(deep.usePatch('/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/leaf')).toEqualTypeOf<number>()
    expectTypeOf(deep.usePatch('/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/list/4/id')).toEqualTypeOf<string | undefined>()
    expectTypeOf(deep.usePatch(['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8', 'l9', 'l10', 'leaf'])).toEqualTypeOf<number>()
    // @ts-expect-error typo at the deepest level
    deep.usePatch('/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/leef')
    // @ts-expect-error typo at the deepest level, tuple form
    deep.usePatch(['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8', 'l9', 'l10', 'leef'])
    deep.useSet()('/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/leaf', 1)
    deep.useSet()(['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8', 'l9', 'l10', 'list', '-'], { id: 'x' })
  })
})

describe('the plain hooks', () => {
  it('take any pointer and return loose JSON', () => {
    expectTypeOf(useLoosePatch('/anything/at/all')).toEqualTypeOf<JsonValue | undefined>()
    expectTypeOf(useLoosePatch(['any', 0])).toEqualTypeOf<JsonValue | undefined>()
  })

  it('useSet takes an interface, and refuses what JSON cannot hold', () => {
    const set = useLooseSet()
    const todo: Todo = { title: 't', done: false }
    expectTypeOf(set('/todos/0', todo)).toEqualTypeOf<Revision | null>()
    set(['todos'], [todo])
    // @ts-expect-error a Date is not JSON
    set('/at', new Date())
    // @ts-expect-error nor undefined
    set('/todos/0', undefined)
  })
})
