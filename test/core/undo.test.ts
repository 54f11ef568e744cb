import { afterEach, describe, expect, it, vi } from 'vitest'
import { createStore, createUndoManager, extendStore, getPath, mergeWithin, type JsonValue, type Patch, type Revision, type Store } from 'patchdb'

interface Doc {
  todos: { t: string; done?: boolean }[]
  filter: string
  other?: JsonValue
}
const todos = (...t: string[]) => t.map((x) => ({ t: x }))
const make = (value: Partial<Doc> = {}) => createStore<Doc>({ value: { todos: todos('a', 'b'), filter: 'all', ...value } })

afterEach(() => void vi.useRealTimers())

describe('createUndoManager: steps and revisions', () => {
  it('undo applies the inverse as a new revision and redo applies it again: history is never rewritten', () => {
    const store = make()
    const undo = createUndoManager(store, { scope: ['/todos'] })
    store.apply([{ op: 'add', path: '/todos/-', value: { t: 'milk' } }])
    expect(store.revision).toBe(1)
    const u = undo.undo()
    expect(u.status).toBe('applied')
    expect(u.status === 'applied' && u.revision?.id).toBe(2)
    expect(store.get('/todos')).toEqual(todos('a', 'b'))
    const r = undo.redo()
    expect(r.status === 'applied' && r.revision?.id).toBe(3)
    expect(store.get('/todos')).toEqual(todos('a', 'b', 'milk'))
    // Every revision is in the log, in order: the undo and the redo are ordinary writes.
    expect(store.log().map((e) => e.id)).toEqual([1, 2, 3])
    expect(store.log()[1]!.patch).toEqual([{ op: 'remove', path: '/todos/2' }])
  })

  it("the manager's own undo and redo are not recorded as steps", () => {
    const store = make()
    const undo = createUndoManager(store, { scope: '/todos' })
    store.set('/todos/0/t', 'A')
    store.set('/todos/1/t', 'B')
    undo.undo()
    expect([undo.canUndo(), undo.canRedo()]).toEqual([true, true])
    undo.undo()
    expect([undo.canUndo(), undo.canRedo()]).toEqual([false, true])
    expect(undo.undo()).toEqual({ status: 'empty' })
    undo.redo()
    undo.redo()
    expect([undo.canUndo(), undo.canRedo()]).toEqual([true, false])
    expect(undo.redo()).toEqual({ status: 'empty' })
    expect(store.get('/todos')).toEqual(todos('A', 'B'))
  })

  it('only revisions that touch the scope are recorded', () => {
    const store = make()
    const undo = createUndoManager(store, { scope: ['/todos'] })
    store.set('/filter', 'done')
    store.set('/other', { x: 1 })
    expect(undo.canUndo()).toBe(false)
    store.set('/todos/0/done', true)
    store.set('/filter', 'all')
    undo.undo()
    expect(store.get('/todos/0')).toEqual({ t: 'a' })
    expect(store.get('/filter')).toBe('all') // the filter click after it is not undone, nor skipped over
    expect(undo.canUndo()).toBe(false)
  })

  it('only the part of a revision inside the scope is undone', () => {
    const store = make()
    const undo = createUndoManager(store, { scope: ['/todos'] })
    store.apply([
      { op: 'replace', path: '/filter', value: 'open' },
      { op: 'add', path: '/todos/0', value: { t: 'first' } },
      { op: 'add', path: '/other', value: 1 },
    ])
    expect(undo.peekUndo()!.inverse).toEqual([{ op: 'remove', path: '/todos/0' }])
    undo.undo()
    expect(store.get()).toEqual({ todos: todos('a', 'b'), filter: 'open', other: 1 })
    undo.redo()
    expect(store.get()).toEqual({ todos: todos('first', 'a', 'b'), filter: 'open', other: 1 })
  })

  it('a transact is one undo step', () => {
    const store = make()
    const undo = createUndoManager(store, { scope: ['/todos'] })
    store.transact((tx) => {
      tx.set('/todos/0/done', true)
      tx.apply([{ op: 'remove', path: '/todos/1' }])
      tx.apply([{ op: 'add', path: '/todos/-', value: { t: 'c' } }])
    })
    undo.undo()
    expect(store.get('/todos')).toEqual(todos('a', 'b'))
    expect(undo.canUndo()).toBe(false)
  })

  it('a new write clears the redo steps', () => {
    const store = make()
    const undo = createUndoManager(store)
    store.set('/todos/0/t', 'x')
    undo.undo()
    expect(undo.canRedo()).toBe(true)
    store.set('/filter', 'open')
    expect(undo.canRedo()).toBe(false)
  })

  it('limit keeps the newest steps', () => {
    const store = make()
    const undo = createUndoManager(store, { scope: '/todos', limit: 3 })
    for (let i = 0; i < 5; i++) store.set('/todos/0/t', `v${i}`)
    let n = 0
    while (undo.undo().status === 'applied') n++
    expect(n).toBe(3)
    expect(store.get('/todos/0/t')).toBe('v1')
  })

  it('several scopes: one revision across them is one step, and what lies between them is never undone', () => {
    const store = createStore({ value: { a: { x: 1 }, b: { y: 1 }, c: 1 } })
    const undo = createUndoManager(store, { scope: ['/a', ['b']] })
    store.apply([
      { op: 'replace', path: '/a/x', value: 2 },
      { op: 'replace', path: '/b/y', value: 2 },
      { op: 'replace', path: '/c', value: 2 },
    ])
    undo.undo()
    expect(store.get()).toEqual({ a: { x: 1 }, b: { y: 1 }, c: 2 })
    expect(undo.canUndo()).toBe(false)
    undo.redo()
    expect(store.get()).toEqual({ a: { x: 2 }, b: { y: 2 }, c: 2 })
  })

  it("does not depend on the store's history: a store that keeps none still undoes", () => {
    const store = createStore({ value: { todos: ['a'] } }, { history: 0 })
    const undo = createUndoManager(store, { scope: '/todos' })
    store.apply([{ op: 'add', path: '/todos/-', value: 'b' }])
    expect(store.log()).toEqual([])
    undo.undo()
    expect(store.get('/todos')).toEqual(['a'])
  })

  it('a dump from a server that replaces the document is one step, undone for the scope only', () => {
    const store = make()
    const undo = createUndoManager(store, { scope: '/todos' })
    store.update({ id: 10, value: { todos: todos('server'), filter: 'done' } })
    undo.undo()
    expect(store.get()).toEqual({ todos: todos('a', 'b'), filter: 'done' })
    expect(store.revision).toBe(11)
  })

  it('an undo called from inside a watcher is still not recorded as a step', () => {
    const store = make()
    const undo = createUndoManager(store, { scope: '/todos' })
    store.set('/todos/0/t', 'x')
    const stop = store.watch('/filter', () => void undo.undo())
    store.set('/filter', 'open') // the undo's revision is dispatched after this one's watchers
    stop()
    expect(store.get('/todos/0/t')).toBe('a')
    expect([undo.canUndo(), undo.canRedo()]).toEqual([false, true])
  })

  it('a store that forwards writes (a patchdb/browser follower): its own undo is recognised when the revision arrives', () => {
    const writer = make()
    const inbox: Patch[] = []
    // Like a follower: apply hands the patch on and returns null; the revision comes later.
    const follower = extendStore(writer as unknown as Store, { apply: (p: Patch): Revision | null => (inbox.push(p), null) })
    const undo = createUndoManager(follower, { scope: '/todos' })
    writer.set('/todos/0/t', 'x')
    const u = undo.undo()
    expect(u).toMatchObject({ status: 'applied', revision: null })
    expect([undo.canUndo(), undo.canRedo()]).toEqual([false, true])
    writer.apply(inbox.shift()!) // the writer applies it; the follower sees an ordinary revision
    expect(writer.get('/todos/0/t')).toBe('a')
    expect([undo.canUndo(), undo.canRedo()]).toEqual([false, true])
    undo.redo()
    writer.apply(inbox.shift()!)
    expect(writer.get('/todos/0/t')).toBe('x')
    expect([undo.canUndo(), undo.canRedo()]).toEqual([true, false])
  })
})

describe('createUndoManager: merging, labels, state, subscribe', () => {
  it('mergeWithin joins keystrokes into one step; a pause, a checkpoint or an undo ends the step', () => {
    vi.useFakeTimers({ now: 0 })
    const store = make()
    const undo = createUndoManager(store, { scope: '/todos', merge: mergeWithin(1000) })
    for (const t of ['m', 'mi', 'mil', 'milk']) {
      store.set('/todos/0/t', t)
      vi.advanceTimersByTime(300)
    }
    vi.advanceTimersByTime(2000)
    store.set('/todos/0/t', 'milk!') // after a pause: a new step
    store.set('/todos/0/t', 'milk!!')
    undo.checkpoint()
    store.set('/todos/0/t', 'milk!!!') // after a checkpoint: a new step
    store.set('/todos/1/t', 'B') // another value: a new step
    const steps: string[] = []
    while (undo.undo().status === 'applied') steps.push(store.get('/todos/0/t') + '|' + store.get('/todos/1/t'))
    expect(steps).toEqual(['milk!!!|b', 'milk!!|b', 'milk|b', 'a|b'])
    undo.redo()
    store.set('/todos/0/t', 'milkshake') // after a redo: not merged into the redone step
    undo.undo()
    expect(store.get('/todos/0/t')).toBe('milk')
  })

  it('a custom merge sees both steps; a merged step undoes and redoes as one', () => {
    const store = make()
    const merge = vi.fn((prev: { patch: Patch }, next: { patch: Patch }) => prev.patch[0]!.path === next.patch[0]!.path)
    const undo = createUndoManager(store, { scope: '/todos', merge })
    store.set('/todos/0/done', true)
    store.set('/todos/0/done', false)
    store.set('/todos/0/done', true)
    expect(merge).toHaveBeenCalledTimes(2)
    undo.undo()
    expect(store.get('/todos/0')).toEqual({ t: 'a' })
    undo.redo()
    expect(store.get('/todos/0')).toEqual({ t: 'a', done: true })
    expect(undo.canUndo() && !undo.canRedo()).toBe(true)
  })

  it('describe labels each step; state() keeps its identity until a field changes', () => {
    const store = make()
    const undo = createUndoManager(store, {
      scope: '/todos',
      describe: ({ patch, inverse }) => (patch[0]!.op === 'add' ? `add ${getPath((patch[0] as { value: JsonValue }).value, '/t')}` : `change ${inverse.length}`),
    })
    const s0 = undo.state()
    expect(s0).toEqual({ canUndo: false, canRedo: false, undoLabel: undefined, redoLabel: undefined })
    store.set('/filter', 'x')
    expect(undo.state()).toBe(s0)
    store.apply([{ op: 'add', path: '/todos/-', value: { t: 'milk' } }])
    const s1 = undo.state()
    expect(s1).toEqual({ canUndo: true, canRedo: false, undoLabel: 'add milk', redoLabel: undefined })
    store.apply([{ op: 'add', path: '/todos/-', value: { t: 'milk' } }])
    expect(undo.state()).toBe(s1) // same label, same flags: same object
    undo.undo()
    expect(undo.state()).toEqual({ canUndo: true, canRedo: true, undoLabel: 'add milk', redoLabel: 'add milk' })
  })

  it('subscribe is told of each change; unsubscribe stops it; a throwing listener stops no one and goes to onError', () => {
    const store = make()
    const thrown: unknown[] = []
    const undo = createUndoManager(store, { scope: '/todos', onError: (e) => thrown.push(e) })
    const calls: string[] = []
    const stopBad = undo.subscribe(() => {
      throw new Error('listener bug')
    })
    const stop = undo.subscribe(() => calls.push(`${undo.canUndo()}${undo.canRedo()}`))
    store.set('/todos/0/t', 'x')
    store.set('/filter', 'y') // outside: nothing to tell
    undo.undo()
    undo.redo()
    undo.clear()
    stop()
    stopBad()
    store.set('/todos/0/t', 'z')
    expect(calls).toEqual(['truefalse', 'falsetrue', 'truefalse', 'falsefalse'])
    expect(thrown).toHaveLength(4)
  })

  it('a throwing describe, merge or record is reported, and the write is still a step', () => {
    const store = make()
    const thrown: string[] = []
    const fail = (what: string) => () => {
      throw new Error(what)
    }
    const undo = createUndoManager(store, {
      scope: '/todos',
      describe: fail('describe'),
      merge: fail('merge'),
      record: fail('record'),
      onError: (e) => thrown.push((e as Error).message),
    })
    store.set('/todos/0/t', 'x')
    store.set('/todos/0/t', 'y') // merge throws: not merged
    expect(thrown).toEqual(['record', 'describe', 'record', 'describe', 'merge'])
    expect(undo.peekUndo()!.label).toBeUndefined()
    undo.undo()
    undo.undo()
    expect(store.get('/todos/0/t')).toBe('a')
    // An onError that throws too: the default takes it, and nothing reaches the store.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const broken = createUndoManager(store, { scope: '/todos', describe: fail('d'), onError: fail('onError') })
    store.set('/todos/0/t', 'z')
    expect(broken.canUndo()).toBe(true)
    expect(logged).toHaveBeenCalledWith('patchdb: a callback of an undo manager threw:', expect.objectContaining({ message: 'd' }))
    logged.mockRestore()
  })

  it('clear forgets every step without touching the document; dispose stops recording', () => {
    const store = make()
    const undo = createUndoManager(store, { scope: '/todos' })
    store.set('/todos/0/t', 'x')
    undo.clear()
    expect(undo.canUndo()).toBe(false)
    expect(store.get('/todos/0/t')).toBe('x')
    const before = store.stats()
    undo.dispose()
    expect(store.stats().watchers).toBe(before.watchers - 1)
    expect(store.stats().subscribers).toBe(before.subscribers - 1)
    store.set('/todos/0/t', 'y')
    expect(undo.canUndo()).toBe(false)
  })
})

describe('createUndoManager: the edge of the scope', () => {
  const doc = () => createStore({ value: { todos: ['a', 'b'], archive: ['z'] } })

  it('a move from outside into the scope: undo takes it out of the scope and never writes outside', () => {
    const store = doc()
    const undo = createUndoManager(store, { scope: '/todos' })
    store.apply([{ op: 'move', from: '/archive/0', path: '/todos/0' }])
    undo.undo()
    expect(store.get()).toEqual({ todos: ['a', 'b'], archive: [] }) // not put back in /archive
    undo.redo()
    expect(store.get()).toEqual({ todos: ['z', 'a', 'b'], archive: [] })
  })

  it('a move from the scope to outside: undo puts it back inside and leaves the outside copy', () => {
    const store = doc()
    const undo = createUndoManager(store, { scope: '/todos' })
    store.apply([{ op: 'move', from: '/todos/1', path: '/archive/-' }])
    expect(undo.peekUndo()!.inverse).toEqual([{ op: 'add', path: '/todos/1', value: 'b' }])
    undo.undo()
    expect(store.get()).toEqual({ todos: ['a', 'b'], archive: ['z', 'b'] })
  })

  it('a copy into the scope is undone inside; a copy out of it is not a step', () => {
    const store = doc()
    const undo = createUndoManager(store, { scope: '/todos' })
    store.apply([{ op: 'copy', from: '/todos/0', path: '/archive/-' }])
    expect(undo.canUndo()).toBe(false)
    store.apply([{ op: 'copy', from: '/archive/0', path: '/todos/-' }])
    undo.undo()
    expect(store.get()).toEqual({ todos: ['a', 'b'], archive: ['z', 'a'] })
  })

  it('a write above the scope (the root replaced) is undone for the scope only', () => {
    const store = doc()
    const undo = createUndoManager(store, { scope: '/todos' })
    store.apply([{ op: 'replace', path: '', value: { todos: ['new'], archive: [] } }])
    undo.undo()
    expect(store.get()).toEqual({ todos: ['a', 'b'], archive: [] })
  })

  it('a scope that does not exist yet: its creation and removal are steps', () => {
    const store = createStore({ value: { a: 1 } as Record<string, JsonValue> })
    const undo = createUndoManager(store, { scope: '/list' })
    store.set('/list', [1])
    store.apply([{ op: 'remove', path: '/list' }])
    undo.undo()
    expect(store.get('/list')).toEqual([1])
    undo.undo()
    expect(store.get()).toEqual({ a: 1 })
  })
})

describe('createUndoManager: bad input', () => {
  it('refuses scopes that overlap, are not pointers or reach a prototype, and a bad limit', () => {
    const store = make()
    expect(() => createUndoManager(store, { scope: ['/todos', '/todos/0'] })).toThrow(/overlap/)
    expect(() => createUndoManager(store, { scope: ['', '/todos'] })).toThrow(/overlap/)
    expect(() => createUndoManager(store, { scope: 'todos' })).toThrow(/pointer must be/)
    expect(() => createUndoManager(store, { scope: [] })).toThrow(/at least one/)
    expect(() => createUndoManager(store, { scope: '/a/__proto__' })).toThrow(/not allowed/)
    for (const limit of [0, -1, 1.5, NaN, Infinity]) expect(() => createUndoManager(store, { limit })).toThrow(RangeError)
    expect(store.stats().watchers).toBe(0) // nothing was left subscribed
  })
})
