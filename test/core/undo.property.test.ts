import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createStore, createUndoManager, formatPointer, getPath, type JsonValue, type Operation, type Revision, type Store } from 'patchdb'
import { json, pointersOf } from './arbitraries'

const runs = { numRuns: Number(process.env.PATCHDB_PROPERTY_RUNS ?? 300) }

/** A random write, interpreted against the document when it is made (so most apply). */
const command = fc.record({
  region: fc.constantFrom('in', 'in', 'in', 'out', 'into', 'outof', 'root'),
  op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy'),
  a: fc.nat(),
  b: fc.nat(),
  value: json,
})
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never

/** Existing pointers under `base`, and places where a value could be added. */
function places(doc: unknown, base: string) {
  const existing: string[] = []
  const addable: string[] = []
  for (const segs of pointersOf(getPath(doc, base))) {
    const p = base + formatPointer(segs)
    existing.push(p)
    const v = getPath(doc, p)
    if (Array.isArray(v)) addable.push(`${p}/-`, `${p}/${v.length}`, `${p}/0`)
    else if (typeof v === 'object' && v !== null) addable.push(`${p}/k`, `${p}/a`)
  }
  return { existing, addable: addable.length ? addable : [base] }
}

const pick = <T,>(list: T[], n: number) => list[n % list.length]!

function build(doc: unknown, c: Command): Operation {
  if (c.region === 'root') return { op: 'replace', path: '', value: { ...(doc as object), todos: c.value } }
  const [src, dst] = c.region === 'in' ? ['/todos', '/todos'] : c.region === 'out' ? ['/other', '/other'] : c.region === 'into' ? ['/other', '/todos'] : ['/todos', '/other']
  const from = places(doc, src)
  const to = places(doc, dst)
  switch (c.op) {
    case 'add':
      return { op: 'add', path: pick(to.addable, c.a), value: c.value }
    case 'remove':
      return { op: 'remove', path: pick(to.existing, c.a) }
    case 'replace':
      return { op: 'replace', path: pick(to.existing, c.a), value: c.value }
    case 'move':
    case 'copy':
      return { op: c.op, from: pick(from.existing, c.b), path: pick(to.addable, c.a) }
  }
}

/** Applies the command if it applies; reports whether it made a revision. */
function write(store: Store, c: Command): Revision | null {
  try {
    return store.apply([build(store.get(), c)])
  } catch {
    return null
  }
}

/** Everything outside /todos, by identity: an undo that wrote there would replace an object. */
function outside(store: Store): [string, unknown][] {
  const doc = store.get() as Record<string, unknown>
  return Object.keys(doc)
    .filter((k) => k !== 'todos')
    .sort()
    .map((k) => [k, doc[k]])
}
const sameOutside = (a: [string, unknown][], b: [string, unknown][]) => a.length === b.length && a.every(([k, v], i) => b[i]![0] === k && b[i]![1] === v)

const initial = (): JsonValue => ({ todos: [1, { a: 's' }, [true]], other: { x: [1, 2], y: 'z' } })
const outsideOnly = command.map((c) => ({ ...c, region: 'out' as const }))

describe('undo properties', () => {
  it('undo all then redo all passes the scope back through every state it went through, and never changes anything outside it', () => {
    fc.assert(
      // With and without the store's history: the inverse comes from the log when it has one.
      fc.property(fc.array(command, { maxLength: 14 }), fc.array(fc.option(outsideOnly), { maxLength: 30 }), fc.constantFrom(0, 100), (writes, between, history) => {
        const store = createStore({ value: initial() }, { history })
        const undo = createUndoManager(store, { scope: '/todos' })
        const states = [store.get('/todos')]
        for (const c of writes) {
          write(store, c)
          const now = store.get('/todos')
          if (now !== states[states.length - 1]) states.push(now)
        }
        let noise = 0
        const interleave = () => {
          const c = between[noise++ % Math.max(1, between.length)]
          if (c) write(store, c)
        }
        for (let k = states.length - 1; k > 0; k--) {
          interleave() // writes outside the scope between undos are not steps and change nothing
          const out = outside(store)
          expect(undo.undo().status).toBe('applied')
          expect(store.get('/todos')).toEqual(states[k - 1])
          expect(sameOutside(outside(store), out)).toBe(true)
        }
        expect(undo.canUndo()).toBe(false)
        for (let k = 1; k < states.length; k++) {
          interleave()
          const out = outside(store)
          expect(undo.redo().status).toBe('applied')
          expect(store.get('/todos')).toEqual(states[k])
          expect(sameOutside(outside(store), out)).toBe(true)
        }
        expect(undo.canRedo()).toBe(false)
      }),
      runs,
    )
  }, 60_000)

  /**
   * My steps add, remove and edit my items ('m…'); another writer inserts, removes and edits
   * its own ('f…') at random places in the same array, before, between and during the undos.
   * Nothing of mine is touched elsewhere, so every undo must apply, rebased through the
   * index shifts, and my items must pass back through each of their states in order.
   */
  it('rebased through inserts and removals elsewhere, undo and redo restore my items exactly', () => {
    const who = fc.record({ mine: fc.boolean(), kind: fc.constantFrom('add', 'remove', 'edit'), a: fc.nat(), n: fc.integer({ min: 0, max: 5 }) })
    fc.assert(
      fc.property(fc.array(who, { maxLength: 16 }), fc.array(who.map((w) => ({ ...w, mine: false })), { maxLength: 30 }), (writes, during) => {
        type Item = { id: string; n: number }
        const store = createStore<{ todos: Item[] }>({ value: { todos: [{ id: 'm0', n: 0 }, { id: 'f0', n: 0 }, { id: 'm1', n: 0 }] } })
        const foreign = new Set<number>()
        const undo = createUndoManager(store, { scope: '/todos', record: (r) => !foreign.has(r.id) })
        let ids = 2
        const items = () => store.get('/todos') as readonly Item[]
        const only = (prefix: string) => items().filter((t) => t.id[0] === prefix)
        const act = (w: (typeof writes)[number]) => {
          const prefix = w.mine ? 'm' : 'f'
          const own = items().flatMap((t, i) => (t.id[0] === prefix ? [i] : []))
          let op: Operation | null = null
          if (w.kind === 'add') op = { op: 'add', path: `/todos/${w.a % (items().length + 1)}`, value: { id: `${prefix}${ids++}`, n: w.n } }
          else if (own.length && w.kind === 'remove') op = { op: 'remove', path: `/todos/${pick(own, w.a)}` }
          else if (own.length) op = { op: 'replace', path: `/todos/${pick(own, w.a)}/n`, value: w.n }
          if (!op) return null
          if (!w.mine) foreign.add(store.revision + 1) // asked while the revision is dispatched
          const r = store.apply([op])
          if (!r) foreign.delete(store.revision + 1) // a no-op: that id goes to the next write
          return r
        }
        const mine = [only('m')]
        for (const w of writes) if (act(w) && w.mine) mine.push(only('m'))
        let k = 0
        const elsewhere = () => k < during.length && act(during[k++]!)
        for (let s = mine.length - 1; s > 0; s--) {
          elsewhere()
          const theirs = only('f')
          const r = undo.undo()
          expect(r.status).toBe('applied')
          expect(only('m')).toEqual(mine[s - 1])
          expect(only('f')).toEqual(theirs)
        }
        expect(undo.canUndo()).toBe(false)
        for (let s = 1; s < mine.length; s++) {
          elsewhere()
          const theirs = only('f')
          expect(undo.redo().status).toBe('applied')
          expect(only('m')).toEqual(mine[s])
          expect(only('f')).toEqual(theirs)
        }
      }),
      runs,
    )
  }, 60_000)

  /**
   * Hostile: another writer changes anything in the scope, my values included. Each undo
   * or redo then applies or reports a conflict; it never throws, a conflict leaves the
   * store as it was, nothing outside the scope changes, and both stacks run out.
   */
  it('against arbitrary writes elsewhere, undo and redo apply or report a conflict, and never write outside the scope', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), command), { maxLength: 14 }), fc.array(command, { maxLength: 20 }), (writes, during) => {
        const store = createStore({ value: initial() })
        const foreign = new Set<number>()
        const undo = createUndoManager(store, { scope: '/todos', record: (r) => !foreign.has(r.id) })
        const elsewhere = (c: Command) => {
          foreign.add(store.revision + 1)
          if (!write(store, c)) foreign.delete(store.revision + 1)
        }
        for (const [mine, c] of writes) (mine ? write(store, c) : elsewhere(c))
        let k = 0
        for (const run of [() => undo.undo(), () => undo.redo(), () => undo.undo()]) {
          for (let guard = 0; guard < 100; guard++) {
            if (k < during.length) elsewhere(during[k++]!)
            const before = store.get()
            const out = outside(store)
            const revision = store.revision
            const r = run()
            if (r.status === 'empty') break
            expect(['applied', 'conflict']).toContain(r.status)
            if (r.status === 'conflict') {
              expect(store.revision).toBe(revision)
              expect(store.get()).toBe(before)
            }
            expect(sameOutside(outside(store), out)).toBe(true)
          }
        }
        expect(undo.canUndo()).toBe(false)
      }),
      runs,
    )
  }, 60_000)
})
