import fc from 'fast-check'
import jsonpatch, { type Operation as FjpOperation } from 'fast-json-patch'
import { createStore, deepEqual, type JsonValue, type Operation, type Store } from 'patchdb'
import { createInspector } from 'patchdb/devtools'
import { describe, expect, it } from 'vitest'

type Doc = { a: number; b: { c: number }; list: number[] }
const WATCHED = ['', '/a', '/b', '/b/c', '/list', '/list/0', '/list/1', '/list/2', '/missing']

/** A command is turned into a patch that applies to the document as it is when it runs. */
const command = fc.oneof(
  fc.record({ kind: fc.constant('a' as const), v: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('c' as const), v: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('push' as const), v: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant('insert' as const), v: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant('remove' as const), v: fc.nat() }),
  fc.record({ kind: fc.constant('move' as const), v: fc.nat() }),
  fc.record({ kind: fc.constant('replaceB' as const), v: fc.integer({ min: 0, max: 3 }) }),
)
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never

function patchFor(c: Command, doc: Doc): Operation[] {
  const n = doc.list.length
  switch (c.kind) {
    case 'a':
      return [{ op: 'replace', path: '/a', value: c.v }]
    case 'c':
      return [{ op: 'replace', path: '/b/c', value: c.v }]
    case 'replaceB':
      return [{ op: 'replace', path: '/b', value: { c: c.v } }]
    case 'push':
      return [{ op: 'add', path: '/list/-', value: c.v }]
    case 'insert':
      return [{ op: 'add', path: '/list/0', value: c.v }]
    case 'remove':
      // A fixed index (not '-'): on replay without an earlier add it may no longer exist.
      return n === 0 ? [{ op: 'add', path: '/list/-', value: 0 }] : [{ op: 'remove', path: `/list/${c.v % n}` }]
    case 'move':
      return n < 2 ? [{ op: 'replace', path: '/a', value: 9 }] : [{ op: 'move', from: `/list/${c.v % n}`, path: '/list/0' }]
  }
}

function record(store: Store<JsonValue>, commands: Command[], patches: Operation[][]) {
  for (const c of commands) {
    const p = patchFor(c, store.get() as unknown as Doc)
    if (store.apply(p)) patches.push(p)
  }
  return { store, patches }
}

/** Base plus patches, with an engine that is not patchdb's; a patch that fails is left out (and named). */
function replay(base: JsonValue, patches: readonly { id: number; patch: readonly Operation[] }[]): { doc: JsonValue; failed: Set<number> } {
  let doc = structuredClone(base)
  const failed = new Set<number>()
  for (const { id, patch } of patches) {
    try {
      doc = jsonpatch.applyPatch(structuredClone(doc), structuredClone(patch as Operation[]) as FjpOperation[], true, false).newDocument
    } catch {
      failed.add(id)
    }
  }
  return { doc, failed }
}

const runs = { numRuns: 150 }

describe('inspector properties', () => {
  it('for random logs, jump(k) shows valueAt(k) at every watched pointer, to get() and to watchers', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 25 }), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), (commands, jumps) => {
        const empty = createStore<JsonValue>({ value: { a: 0, b: { c: 0 }, list: [] } }, { history: 1000 })
        const inspector = createInspector(empty)
        const { store } = record(empty, commands, [])
        const seen = new Map<string, unknown>(WATCHED.map((p) => [p, store.get(p)]))
        for (const p of WATCHED) store.watch(p, (v) => seen.set(p, v))
        for (const j of jumps) {
          const k = j % (store.revision + 1)
          inspector.jump(k)
          const expected = store.valueAt(k)
          for (const p of WATCHED) {
            const want = p === '' ? expected : jsonpatch.getValueByPointer(expected, p)
            expect(store.get(p)).toEqual(want)
            expect(seen.get(p)).toEqual(want)
          }
        }
        inspector.live()
        for (const p of WATCHED) expect(seen.get(p)).toEqual(store.get(p))
        expect(store.get()).toEqual(store.valueAt(store.revision))
      }),
      runs,
    )
  })

  it('with a small limit, older entries fold into the base and every kept revision still shows valueAt', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 8 }), (commands, limit) => {
        const empty = createStore<JsonValue>({ value: { a: 0, b: { c: 0 }, list: [] } }, { history: 1000 })
        const inspector = createInspector(empty, { limit })
        const { store } = record(empty, commands, [])
        const entries = inspector.entries()
        expect(entries.length).toBe(Math.min(limit, store.revision))
        const base = inspector.base()
        expect(base.value).toEqual(store.valueAt(base.id))
        for (const id of [base.id, ...entries.map((e) => e.id)]) {
          inspector.jump(id)
          expect(store.get()).toEqual(store.valueAt(id))
        }
        inspector.live()
      }),
      runs,
    )
  })

  it('the base, worked out from the head when read, plus the entries in the head is the store, through writes, skips, pauses and drops', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), c: command }),
      fc.record({ kind: fc.constant('toggle' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('pause' as const), on: fc.boolean() }),
      fc.record({ kind: fc.constant('read' as const) }),
    )
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 6 }), (steps, limit) => {
        const store = createStore<JsonValue>({ value: { a: 0, b: { c: 0 }, list: [] } }, { history: 1000 })
        const inspector = createInspector(store, { limit })
        const check = () => {
          // entries() first: it settles what happened while paused, which may move the base.
          const head = inspector.entries().filter((e) => !e.skipped && e.error === undefined)
          const base = inspector.base()
          expect(replay(base.value as JsonValue, head).doc).toEqual(store.get())
        }
        for (const s of steps) {
          if (s.kind === 'write') store.apply(patchFor(s.c, store.get() as unknown as Doc))
          else if (s.kind === 'pause') inspector.pause(s.on)
          else if (s.kind === 'read') check()
          else {
            const ids = inspector.entries().map((e) => e.id)
            if (ids.length > 0) inspector.toggle(ids[s.pick % ids.length]!)
          }
        }
        check()
      }),
      runs,
    )
  })

  it('toggle(k) twice returns to the same head', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 25 }), fc.nat(), (commands, pick) => {
        const empty = createStore<JsonValue>({ value: { a: 0, b: { c: 0 }, list: [] } }, { history: 1000 })
        const inspector = createInspector(empty)
        const { store } = record(empty, commands, [])
        const head = store.get()
        const ids = inspector.entries().map((e) => e.id)
        fc.pre(ids.length > 0) // every command may have been a no-op
        const id = ids[pick % ids.length]!
        inspector.toggle(id)
        inspector.toggle(id)
        expect(deepEqual(store.get(), head)).toBe(true)
        expect(inspector.entries().every((e) => !e.skipped && e.error === undefined)).toBe(true)
      }),
      runs,
    )
  })

  it('skip + reorder equal a replay computed independently (fast-json-patch)', () => {
    fc.assert(
      fc.property(
        fc.array(command, { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.option(fc.nat(), { nil: null })), { maxLength: 4 }),
        (commands, skips, moves) => {
          const empty = createStore<JsonValue>({ value: { a: 0, b: { c: 0 }, list: [] } }, { history: 1000 })
          const base = empty.get()
          const inspector = createInspector(empty)
          const { store } = record(empty, commands, [])
          const patches = new Map(inspector.entries().map((e) => [e.id, e.patch]))
          let order = inspector.entries().map((e) => e.id)
          fc.pre(order.length > 0)
          const skipped = new Set<number>()
          for (const s of skips) {
            const id = order[s % order.length]!
            inspector.toggle(id)
            if (skipped.has(id)) skipped.delete(id)
            else skipped.add(id)
          }
          for (const [m, b] of moves) {
            const id = order[m % order.length]!
            const beforeId = b === null ? null : order[b % order.length]!
            inspector.reorder(id, beforeId)
            if (beforeId !== id) {
              order = order.filter((x) => x !== id)
              order.splice(beforeId === null ? order.length : order.indexOf(beforeId), 0, id)
            }
          }
          expect(inspector.entries().map((e) => e.id)).toEqual(order)
          const expected = replay(
            base,
            order.filter((id) => !skipped.has(id)).map((id) => ({ id, patch: patches.get(id)! })),
          )
          expect(store.get()).toEqual(expected.doc)
          // Entries marked with an error are exactly those the independent replay left out.
          for (const e of inspector.entries()) {
            expect(e.skipped).toBe(skipped.has(e.id))
            expect(e.error !== undefined).toBe(expected.failed.has(e.id))
          }
        },
      ),
      runs,
    )
  })
})
