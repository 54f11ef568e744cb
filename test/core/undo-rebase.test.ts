import { describe, expect, it } from 'vitest'
import { createStore, createUndoManager, type Patch, type Revision } from 'patchdb'

/**
 * Revisions "from elsewhere" are the ones `record` refuses (another user's, a server's).
 * Here: every patch applied through `elsewhere`.
 */
function setup(todos: string[]) {
  const store = createStore({ value: { todos: todos.map((t) => ({ t })), filter: 'all' } })
  const foreign = new Set<number>()
  const undo = createUndoManager(store, { scope: '/todos', record: (r: Revision) => !foreign.has(r.id) })
  const elsewhere = (patch: Patch) => {
    foreign.add(store.revision + 1)
    store.apply(patch)
  }
  const titles = () => (store.get('/todos') as { t: string }[]).map((x) => x.t)
  return { store, undo, elsewhere, titles }
}

describe('undo over revisions from elsewhere', () => {
  it('revisions from elsewhere are not steps', () => {
    const { undo, elsewhere } = setup(['a'])
    elsewhere([{ op: 'add', path: '/todos/-', value: { t: 'b' } }])
    expect(undo.canUndo()).toBe(false)
  })

  it('an undo is rebased through an insert elsewhere: /todos/3 becomes /todos/4', () => {
    const { store, undo, elsewhere, titles } = setup(['a', 'b', 'c', 'd'])
    store.set('/todos/3/t', 'D')
    elsewhere([{ op: 'add', path: '/todos/0', value: { t: 'new' } }])
    expect(undo.peekUndo()!.inverse).toEqual([{ op: 'replace', path: '/todos/4/t', value: 'd' }])
    expect(undo.undo().status).toBe('applied')
    expect(titles()).toEqual(['new', 'a', 'b', 'c', 'd'])
  })

  it('an undo is rebased through a removal before it, and an insert after it changes nothing', () => {
    const { store, undo, elsewhere, titles } = setup(['a', 'b', 'c', 'd'])
    store.apply([{ op: 'remove', path: '/todos/2' }]) // mine: c
    elsewhere([{ op: 'remove', path: '/todos/0' }]) // theirs: a
    elsewhere([{ op: 'add', path: '/todos/-', value: { t: 'e' } }])
    expect(undo.peekUndo()!.inverse).toEqual([{ op: 'add', path: '/todos/1', value: { t: 'c' } }])
    undo.undo()
    expect(titles()).toEqual(['b', 'c', 'd', 'e'])
  })

  it('a step whose values were changed elsewhere is reported and dropped; the store is not touched', () => {
    const { store, undo, elsewhere, titles } = setup(['a', 'b'])
    store.set('/todos/1/t', 'mine')
    elsewhere([{ op: 'replace', path: '/todos/1/t', value: 'theirs' }])
    expect(undo.peekUndo()!.stale).toBe(true)
    const revision = store.revision
    const r = undo.undo()
    expect(r).toMatchObject({ status: 'conflict', reason: expect.stringMatching(/changed elsewhere/) })
    expect(store.revision).toBe(revision)
    expect(titles()).toEqual(['a', 'theirs'])
    expect([undo.canUndo(), undo.canRedo()]).toEqual([false, false]) // dropped, not moved to redo
  })

  it('a removal elsewhere of the item a step edits is a conflict, not an edit of its neighbour', () => {
    const { store, undo, elsewhere, titles } = setup(['a', 'b', 'c'])
    store.set('/todos/1/t', 'B')
    elsewhere([{ op: 'remove', path: '/todos/1' }])
    expect(undo.undo().status).toBe('conflict')
    expect(titles()).toEqual(['a', 'c'])
  })

  it('the steps below a stale one are rebased over it staying applied, and still undo', () => {
    const { store, undo, elsewhere, titles } = setup(['a', 'b', 'c'])
    store.set('/todos/2/t', 'C') // step 1
    store.apply([{ op: 'add', path: '/todos/0', value: { t: 'n' } }]) // step 2: [n, a, b, C]
    elsewhere([{ op: 'replace', path: '/todos/0/t', value: 'N' }]) // edits step 2's item: step 2 goes stale
    expect(undo.undo().status).toBe('conflict')
    // Step 1 was written before n existed; n stays, so its undo now aims at index 3.
    expect(undo.peekUndo()!.inverse).toEqual([{ op: 'replace', path: '/todos/3/t', value: 'c' }])
    expect(undo.undo().status).toBe('applied')
    expect(titles()).toEqual(['N', 'a', 'b', 'c'])
  })

  it('older steps are rebased in the document as it was when they apply, not as it is now', () => {
    const { store, undo, elsewhere, titles } = setup(['a', 'b', 'c'])
    store.set('/todos/2/t', 'C') // step 1: index 2 in [a, b, c]
    store.apply([{ op: 'add', path: '/todos/0', value: { t: 'n' } }]) // step 2: [n, a, b, C]
    elsewhere([{ op: 'add', path: '/todos/3', value: { t: 'x' } }]) // [n, a, b, x, C]: before C
    undo.undo() // removes n: [a, b, x, C]
    expect(undo.peekUndo()!.inverse).toEqual([{ op: 'replace', path: '/todos/3/t', value: 'c' }])
    undo.undo()
    expect(titles()).toEqual(['a', 'b', 'x', 'c'])
  })

  it('redo steps are rebased too, and a conflicting redo is reported', () => {
    const { store, undo, elsewhere, titles } = setup(['a', 'b'])
    store.set('/todos/1/t', 'B')
    store.apply([{ op: 'add', path: '/todos/-', value: { t: 'c' } }])
    undo.undo()
    undo.undo()
    elsewhere([{ op: 'add', path: '/todos/0', value: { t: 'z' } }])
    expect(undo.peekRedo()!.patch).toEqual([{ op: 'replace', path: '/todos/2/t', value: 'B' }])
    undo.redo()
    expect(titles()).toEqual(['z', 'a', 'B'])
    elsewhere([{ op: 'replace', path: '/todos', value: [] }]) // wipes what the next redo would add to
    expect(undo.redo().status).toBe('conflict')
    expect(titles()).toEqual([])
  })

  it('changes elsewhere outside the scope do not touch the steps', () => {
    const { store, undo, elsewhere } = setup(['a'])
    store.set('/todos/0/t', 'A')
    const step = undo.peekUndo()!.inverse
    elsewhere([{ op: 'replace', path: '/filter', value: 'done' }])
    expect(undo.peekUndo()!.inverse).toEqual(step)
    expect(undo.peekUndo()!.stale).toBe(false)
  })

  it('a step that no longer applies when undone (its target gone for good) is reported, never thrown', () => {
    const store = createStore({ value: { doc: { a: { b: 1 } } } })
    const undo = createUndoManager(store, { scope: '/doc/a' })
    store.set('/doc/a/b', 2)
    // Recorded: the scope vanished (a step: undo would bring it back); then the parent goes too.
    store.apply([{ op: 'remove', path: '/doc/a' }])
    store.apply([{ op: 'remove', path: '/doc' }])
    const r = undo.undo() // wants to add /doc/a, whose parent is gone
    expect(r).toMatchObject({ status: 'conflict', reason: expect.stringMatching(/no longer applies/), error: { code: 'PATH_NOT_FOUND' } })
    expect(store.get()).toEqual({})
    expect(undo.canUndo()).toBe(true) // dropped: the step before it is next
    expect(undo.undo().status).toBe('conflict')
  })
})
