import { describe, expectTypeOf, it } from 'vitest'
import {
  createStore,
  type At,
  type JsonCompatible,
  type JsonValue,
  type NotJson,
  type PathError,
  type PathOf,
  type Pointer,
  type ReadonlyDeep,
  type Revision,
} from 'patchdb'

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
  meta: JsonValue
  point: [number, string]
}
const app: App = {
  todos: [],
  settings: { theme: 'light', 'a/b': 1, 'm~n': true },
  byId: {},
  maybe: null,
  meta: null,
  point: [1, 'x'],
}
type RTodo = { readonly title: string; readonly done: boolean; readonly tags?: readonly string[] }

/** Ten levels of objects, arrays at levels 5 and 9, so each depth can end on an index. */
interface Deep {
  l1: { l2: { l3: { l4: { l5: Row[] } } } }
}
interface Row {
  l7: { l8: { l9: { l10: { leaf: number; list: string[] }[] } } }
}
interface Tree {
  name: string
  kids: Tree[]
}

describe('typed pointers', () => {
  const store = createStore<App>({ value: app })

  it('get returns the type at a literal pointer', () => {
    expectTypeOf(store.get('/settings/theme')).toEqualTypeOf<'light' | 'dark'>()
    expectTypeOf(store.get('/todos/0/done')).toEqualTypeOf<boolean | undefined>()
    expectTypeOf(store.get('/todos/3')).toEqualTypeOf<RTodo | undefined>()
    expectTypeOf(store.get('/byId/abc/title')).toEqualTypeOf<string | undefined>()
    expectTypeOf(store.get('/settings/a~1b')).toEqualTypeOf<number>()
    expectTypeOf(store.get('/settings/m~0n')).toEqualTypeOf<boolean>()
    expectTypeOf(store.get('/maybe/x')).toEqualTypeOf<number | undefined>()
    expectTypeOf(store.get('/point/1')).toEqualTypeOf<string>()
    expectTypeOf(store.get('/meta/any/thing')).toEqualTypeOf<JsonValue | undefined>()
    expectTypeOf(store.get().settings.theme).toEqualTypeOf<'light' | 'dark'>()
  })

  it('a tuple pointer is typed like the string one, without `as const`', () => {
    expectTypeOf(store.get(['settings', 'theme'])).toEqualTypeOf<'light' | 'dark'>()
    expectTypeOf(store.get(['todos', 0, 'title'])).toEqualTypeOf<string | undefined>()
    expectTypeOf(store.get(['todos', '0', 'title'])).toEqualTypeOf(store.get('/todos/0/title'))
    expectTypeOf(store.get(['settings', 'a/b'])).toEqualTypeOf<number>() // segments are unescaped
    expectTypeOf(store.get(['point', 0])).toEqualTypeOf<number>()
    const i: number = 2
    expectTypeOf(store.get(['todos', i, 'done'])).toEqualTypeOf<boolean | undefined>()
    const key: string = 'k'
    expectTypeOf(store.get(['byId', key])).toEqualTypeOf<RTodo | undefined>()
  })

  it('numeric keys of objects are string segments, as in JSON', () => {
    const nums = createStore<{ byNumber: Record<number, string>; fixed: { 1: boolean } }>({ value: { byNumber: {}, fixed: { 1: true } } })
    expectTypeOf(nums.get('/byNumber/7')).toEqualTypeOf<string | undefined>()
    expectTypeOf(nums.get(['fixed', 1])).toEqualTypeOf<boolean>()
    // @ts-expect-error no key 2
    nums.get('/fixed/2')
  })

  it('a union of pointers is checked member by member', () => {
    const either = '/settings/theme' as '/settings/theme' | '/todos/0/done'
    expectTypeOf(store.get(either)).toEqualTypeOf<'light' | 'dark' | boolean | undefined>()
    const oneWrong = '/settings/theme' as '/settings/theme' | '/settings/font'
    // @ts-expect-error one member is not a pointer of the document
    store.get(oneWrong)
    expectTypeOf(store.get([])).toEqualTypeOf(store.get(''))
  })

  it('get is loose JSON for a pointer that is not a literal', () => {
    const p: string = '/settings'
    expectTypeOf(store.get(p)).toEqualTypeOf<JsonValue | undefined>()
    const segs: string[] = ['settings']
    expectTypeOf(store.get(segs)).toEqualTypeOf<JsonValue | undefined>()
  })

  it('refuses pointers that are not in the document, in both forms', () => {
    // @ts-expect-error not a key of settings
    store.get('/settings/colour')
    // @ts-expect-error not a key of settings
    store.get(['settings', 'colour'])
    // @ts-expect-error no such key at the root
    store.get(['nope'])
    // @ts-expect-error not a pointer
    store.get('settings')
    // @ts-expect-error an array index is digits
    store.get(['todos', 'first'])
    // @ts-expect-error an index has no leading zero (RFC 6901)
    store.get('/todos/01')
    // @ts-expect-error a negative index
    store.get(['todos', -1])
    // @ts-expect-error a tuple has two positions
    store.get('/point/2')
    // @ts-expect-error nothing below a string
    store.get('/settings/theme/x')
    // @ts-expect-error wrong value type for the pointer
    store.set('/settings/theme', 'blue')
    // @ts-expect-error watch takes only pointers of the document
    store.watch('/nope', () => {})
    // @ts-expect-error observe too
    store.observe(['todos', 0, 'titel'])
  })

  it('an invalid pointer gives a PathError that names the segment and where it is', () => {
    expectTypeOf<PathOf<App, '/todoz/0'>>().toEqualTypeOf<PathError<"no key 'todoz' at the root">>()
    expectTypeOf<PathOf<App, readonly ['todoz', 0]>>().toEqualTypeOf<PathError<"no key 'todoz' at the root">>()
    expectTypeOf<PathOf<App, readonly ['todos', 0, 'dne']>>().toEqualTypeOf<PathError<"no key 'dne' at /todos/0">>()
    expectTypeOf<PathOf<App, '/settings/a~1b/x'>>().toEqualTypeOf<PathError<"'x' is below /settings/a~1b, which holds no object or array">>()
    expectTypeOf<PathOf<App, '/todos/x'>>().toEqualTypeOf<PathError<"'x' is not an index of the array at /todos">>()
    expectTypeOf<PathOf<App, 'todos'>>().toEqualTypeOf<PathError<"a pointer is '' or starts with '/', got 'todos'">>()
    expectTypeOf<PathOf<App, '/byId/a~2b'>>().toEqualTypeOf<PathError<"'~' must be followed by 0 or 1 (RFC 6901), in '/byId/a~2b'">>()
    expectTypeOf<PathOf<App, '/byId/a~'>>().toEqualTypeOf<PathError<"'~' must be followed by 0 or 1 (RFC 6901), in '/byId/a~'">>()
    expectTypeOf<PathOf<App, '/byId/~0~1'>>().toEqualTypeOf<'/byId/~0~1'>()
    expectTypeOf<PathOf<App, '/point/2'>>().toEqualTypeOf<PathError<"no index '2' in the tuple at /point">>()
    // A valid pointer is passed through unchanged.
    expectTypeOf<PathOf<App, '/todos/0/title'>>().toEqualTypeOf<'/todos/0/title'>()
    expectTypeOf<PathOf<App, readonly ['todos', 0]>>().toEqualTypeOf<readonly ['todos', 0]>()
  })

  it('set: `-` appends to an array, only as the last segment of a write', () => {
    store.set('/todos/-', { title: 'x', done: false })
    store.set(['todos', '-'], { title: 'x', done: false })
    store.set('/todos/0/tags/-', 'tag')
    expectTypeOf<At<App, '/todos/-', true>>().toEqualTypeOf<Todo>()
    // @ts-expect-error '-' is not a place to read from
    store.get('/todos/-')
    // @ts-expect-error nor a place to go below
    store.set('/todos/-/title', 'x')
    expectTypeOf<PathOf<App, '/todos/-/title', true>>().toEqualTypeOf<
      PathError<"'-' at /todos is past the end of the array: only the last segment of a write may use it">
    >()
  })

  it('set never takes undefined: a store holds no undefined', () => {
    // @ts-expect-error undefined is not JSON
    store.set('/todos/0', undefined)
    // @ts-expect-error not even at an optional key
    store.set('/todos/0/tags', undefined)
    // @ts-expect-error nor in a transaction
    store.transact((tx) => tx.set(['settings', 'theme'], undefined))
    // @ts-expect-error nor in an untyped store
    createStore().set('/x', undefined)
  })

  it('types set values and watch callbacks', () => {
    store.set('/settings/theme', 'dark')
    store.set('/todos/0', { title: 'x', done: false })
    // @ts-expect-error excess properties are still checked
    store.set('/todos/0', { title: 'x', done: false, extra: 1 })
    store.set(['todos', 0, 'done'], true)
    store.watch('/todos/0/title', (title, revision) => {
      expectTypeOf(title).toEqualTypeOf<string | undefined>()
      expectTypeOf(revision).toEqualTypeOf<Revision>()
    })
    store.watch(['settings', 'theme'], (theme) => expectTypeOf(theme).toEqualTypeOf<'light' | 'dark'>())
    store.transact((tx) => {
      expectTypeOf(tx.get('/settings/theme')).toEqualTypeOf<'light' | 'dark'>()
      expectTypeOf(tx.get(['todos', 1])).toEqualTypeOf<RTodo | undefined>()
      tx.set('/settings/theme', 'light')
      // @ts-expect-error checked in a transaction too
      tx.set(['settings', 'font'], 'x')
    })
  })

  it('Pointer<T> lists the pointers of a document', () => {
    expectTypeOf<'/settings/theme'>().toExtend<Pointer<App>>()
    expectTypeOf<'/todos/7/tags/0'>().toExtend<Pointer<App>>()
    expectTypeOf<''>().toExtend<Pointer<App>>()
    expectTypeOf<'/settings/nope'>().not.toExtend<Pointer<App>>()
    expectTypeOf<Pointer<JsonValue>>().toEqualTypeOf<string>()
  })
})

describe('pointers at depth 1, 5 and 10, string and tuple forms', () => {
  const deep = createStore<Deep>({ value: { l1: { l2: { l3: { l4: { l5: [] } } } } } })
  type RLeaf = { readonly leaf: number; readonly list: readonly string[] }

  it('depth 1', () => {
    expectTypeOf(deep.get('/l1')).toEqualTypeOf(deep.get(['l1']))
    expectTypeOf(deep.get('/l1')).toHaveProperty('l2')
    // @ts-expect-error
    deep.get('/l0')
    // @ts-expect-error
    deep.get(['l0'])
    expectTypeOf<PathOf<Deep, readonly ['l0']>>().toEqualTypeOf<PathError<"no key 'l0' at the root">>()
  })

  it('depth 5, ending on an array, and on an index at depth 6', () => {
    expectTypeOf(deep.get('/l1/l2/l3/l4/l5')).toEqualTypeOf<ReadonlyDeep<Row[]>>()
    expectTypeOf(deep.get(['l1', 'l2', 'l3', 'l4', 'l5'])).toEqualTypeOf<ReadonlyDeep<Row[]>>()
    expectTypeOf(deep.get(['l1', 'l2', 'l3', 'l4', 'l5', 4])).toEqualTypeOf<ReadonlyDeep<Row> | undefined>()
    deep.set('/l1/l2/l3/l4/l5/-', { l7: { l8: { l9: { l10: [] } } } })
    deep.set(['l1', 'l2', 'l3', 'l4', 'l5', '-'], { l7: { l8: { l9: { l10: [] } } } })
    // @ts-expect-error
    deep.get('/l1/l2/l3/l4/l6')
    // @ts-expect-error
    deep.get(['l1', 'l2', 'l3', 'l4', 'l6'])
    expectTypeOf<PathOf<Deep, '/l1/l2/l3/x/l5'>>().toEqualTypeOf<PathError<"no key 'x' at /l1/l2/l3">>()
  })

  it('depth 10 (an index at 6 and at 10), and a typo there, without TS2589', () => {
    expectTypeOf(deep.get('/l1/l2/l3/l4/l5/0/l7/l8/l9/l10')).toEqualTypeOf<readonly RLeaf[] | undefined>()
    expectTypeOf(deep.get(['l1', 'l2', 'l3', 'l4', 'l5', 0, 'l7', 'l8', 'l9', 'l10'])).toEqualTypeOf<readonly RLeaf[] | undefined>()
    expectTypeOf(deep.get('/l1/l2/l3/l4/l5/0/l7/l8/l9/l10/3/leaf')).toEqualTypeOf<number | undefined>()
    expectTypeOf(deep.get(['l1', 'l2', 'l3', 'l4', 'l5', 0, 'l7', 'l8', 'l9', 'l10', 3, 'list', 1])).toEqualTypeOf<string | undefined>()
    deep.set('/l1/l2/l3/l4/l5/0/l7/l8/l9/l10/-', { leaf: 1, list: [] })
    deep.set(['l1', 'l2', 'l3', 'l4', 'l5', 0, 'l7', 'l8', 'l9', 'l10', 2, 'list', '-'], 'x')
    // @ts-expect-error wrong value type 12 levels down
    deep.set(['l1', 'l2', 'l3', 'l4', 'l5', 0, 'l7', 'l8', 'l9', 'l10', 2, 'leaf'], 'x')
    // @ts-expect-error a typo at depth 10
    deep.get('/l1/l2/l3/l4/l5/0/l7/l8/l9/l11')
    // @ts-expect-error a typo at depth 10
    deep.get(['l1', 'l2', 'l3', 'l4', 'l5', 0, 'l7', 'l8', 'l9', 'l11'])
    expectTypeOf<PathOf<Deep, readonly ['l1', 'l2', 'l3', 'l4', 'l5', 0, 'l7', 'l8', 'l9', 'l10', 'x']>>().toEqualTypeOf<
      PathError<"'x' is not an index of the array at /l1/l2/l3/l4/l5/0/l7/l8/l9/l10">
    >()
  })

  it('a recursive document type, 40 levels down', () => {
    const tree = createStore<Tree>({ value: { name: 'root', kids: [] } })
    const p = '/kids/0/kids/1/kids/2/kids/3/kids/4/kids/5/kids/6/kids/7/kids/8/kids/9/kids/0/kids/1/kids/2/kids/3/kids/4/kids/5/kids/6/kids/7/kids/8/kids/9/name' as const
    expectTypeOf(tree.get(p)).toEqualTypeOf<string | undefined>()
    // @ts-expect-error the 40th segment is wrong
    tree.get('/kids/0/kids/1/kids/2/kids/3/kids/4/kids/5/kids/6/kids/7/kids/8/kids/9/kids/0/kids/1/kids/2/kids/3/kids/4/kids/5/kids/6/kids/7/kids/8/kids/9/nam')
  })
})

describe('untyped stores', () => {
  it('take any pointer and give loose JSON', () => {
    const loose = createStore()
    expectTypeOf(loose.get('/anything/at/all')).toEqualTypeOf<JsonValue | undefined>()
    expectTypeOf(loose.get(['any', 0, 'thing'])).toEqualTypeOf<JsonValue | undefined>()
    loose.set('/x', { any: ['json'] })
    loose.set(['x', 'y', '-'], 1)
    loose.watch(['a', 1], (v) => expectTypeOf(v).toEqualTypeOf<JsonValue | undefined>())
  })
})

describe('interfaces are JSON values', () => {
  const todo: Todo = { title: 't', done: false }

  it('an untyped store takes an interface wherever it takes JSON', () => {
    const loose = createStore()
    loose.set('/todo', todo)
    loose.set(['todos'], [todo, todo])
    loose.transact((tx) => tx.set('/todo', todo))
    createStore({ value: { todos: [todo] } }).set('/todos/0', todo)
  })

  it('so does a loose part of a typed document', () => {
    createStore<App>({ value: app }).set('/meta', { todo })
  })

  it('what JSON cannot hold is still refused, and the error says what it is', () => {
    const loose = createStore()
    // @ts-expect-error a Date
    loose.set('/d', { at: new Date() })
    // @ts-expect-error a function
    loose.set('/f', { run: () => 1 })
    // @ts-expect-error a Map
    loose.set('/m', new Map<string, number>())
    // @ts-expect-error a Set
    loose.set('/s', [new Set<number>()])
    // @ts-expect-error a symbol
    loose.set('/y', Symbol('y'))
    // @ts-expect-error a bigint
    loose.set('/b', 1n)
    // @ts-expect-error undefined as the value of a required key
    loose.set('/u', { a: undefined as string | undefined })
    expectTypeOf<JsonCompatible<{ at: Date }>>().toEqualTypeOf<{ at: NotJson<'a Date (store an ISO string or a number)'> }>()
    expectTypeOf<JsonCompatible<{ run(): void }>>().toEqualTypeOf<{ run: NotJson<'a function'> }>()
    expectTypeOf<JsonCompatible<Todo>>().toEqualTypeOf<{ title: string; done: boolean; tags?: string[] }>()
    expectTypeOf<Tree>().toExtend<JsonCompatible<Tree>>()
  })
})

describe('read-only documents go back in', () => {
  const store = createStore<App>({ value: app })

  it('createStore takes a dump, update takes dumps, set takes values read from the store', () => {
    expectTypeOf(store.dump().value).toEqualTypeOf<ReadonlyDeep<App>>()
    createStore<App>(store.dump())
    store.update(store.dump())
    store.update([store.dump(), { id: 9, patch: [] }])
    store.set('', store.get())
    store.set('/todos/0', store.get('/todos/1')!)
    store.set(['todos'], store.get('/todos'))
    store.transact((tx) => tx.set('/settings', tx.get('/settings')))
  })

  it('but not a dump of another document', () => {
    // @ts-expect-error a dump of another document type
    createStore<App>(createStore<{ other: number }>({ value: { other: 1 } }).dump())
  })
})
