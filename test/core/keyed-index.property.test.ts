import fc from 'fast-check'
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { applyPatch, createIndex, createStore, PatchError, type JsonValue, type Operation } from 'patchdb'

interface Item {
  id: string
  v?: number
  extra?: number
  child?: unknown
}
interface Doc {
  items?: Item[]
  other: number
  /** An array beside the indexed one: items move and are copied across the boundary. */
  parked: Item[]
}

/** A small pool of ids, so that removed keys come back and duplicates happen. */
const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']

/** What one operation of a step wants, resolved against the array as the step has left it so far. */
type Intent =
  | { kind: 'add' | 'remove' | 'replace-new' | 'replace-same' | 'set-v' | 'set-id' | 'add-extra' | 'remove-v'; at: number; id: number; v: number }
  | { kind: 'move' | 'copy' | 'move-inside' | 'move-into-item' | 'copy-then-rekey' | 'copy-then-remove' | 'park' | 'unpark' | 'copy-in' | 'copy-out' | 'move-part-out'; at: number; to: number; id: number }
  | { kind: 'root-replace'; order: number[]; id: number }
  | { kind: 'drop'; v: number }
  | { kind: 'other'; v: number }

const fraction = fc.integer({ min: 0, max: 1000 })
const intent: fc.Arbitrary<Intent> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('add', 'remove', 'replace-new', 'replace-same', 'set-v', 'set-id', 'add-extra', 'remove-v') as fc.Arbitrary<'add'>,
    at: fraction,
    id: fraction,
    v: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({
    kind: fc.constantFrom('move', 'copy', 'move-inside', 'move-into-item', 'copy-then-rekey', 'copy-then-remove', 'park', 'unpark', 'copy-in', 'copy-out', 'move-part-out') as fc.Arbitrary<'move'>,
    at: fraction,
    to: fraction,
    id: fraction,
  }),
  fc.record({ kind: fc.constant('root-replace' as const), order: fc.array(fraction, { maxLength: 8 }), id: fraction }),
  fc.record({ kind: fc.constant('drop' as const), v: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('other' as const), v: fc.integer({ min: 0, max: 3 }) }),
)

const pick = <T,>(xs: readonly T[], f: number): T => xs[f % xs.length]!

/** The operations of one intent on the document `doc`, or none when it does not apply. */
function resolve(doc: Doc, it: Intent): Operation[] {
  const items = doc.items
  if (it.kind === 'other') return [{ op: 'replace', path: '/other', value: doc.other + 1 + it.v }]
  if (it.kind === 'drop') return items ? [{ op: 'remove', path: '/items' }] : []
  const used = new Set(items?.map((x) => x.id))
  const unused = IDS.filter((id) => !used.has(id))
  // Sometimes an id in use: a duplicate the index must report.
  const freshId = (f: number) => (unused.length > 0 && f % 7 !== 0 ? pick(unused, f) : pick(IDS, f))
  if (it.kind === 'root-replace') {
    const pool = items ?? []
    const next = it.order.map((f) => pool[f % Math.max(pool.length, 1)]).filter((x): x is Item => x !== undefined)
    return [{ op: items ? 'replace' : 'add', path: '/items', value: [...new Set(next), { id: freshId(it.id), v: 0 }] as unknown as JsonValue }]
  }
  if (!items) return it.kind === 'add' ? [{ op: 'add', path: '/items', value: [{ id: freshId(it.id), v: it.v }] }] : []
  const n = items.length
  // Across the boundary: in from the parked array (a move or a copy, which may duplicate a key).
  if (it.kind === 'unpark' || it.kind === 'copy-in') {
    const m = doc.parked.length
    return m === 0 ? [] : [{ op: it.kind === 'unpark' ? 'move' : 'copy', from: `/parked/${it.at % m}`, path: it.to % 4 === 0 ? '/items/-' : `/items/${it.to % (n + 1)}` }]
  }
  if (it.kind === 'add') return [{ op: 'add', path: it.at % 5 === 0 ? '/items/-' : `/items/${it.at % (n + 1)}`, value: { id: freshId(it.id), v: it.v } }]
  if (n === 0) return []
  const i = it.at % n
  const p = `/items/${i}`
  switch (it.kind) {
    case 'remove':
      return [{ op: 'remove', path: p }]
    case 'replace-new':
      return [{ op: 'replace', path: p, value: { id: freshId(it.id), v: it.v } }]
    case 'replace-same':
      return [{ op: 'replace', path: p, value: { id: items[i]!.id, v: (items[i]!.v ?? 0) + 1 } }]
    case 'set-v':
      return [{ op: 'add', path: `${p}/v`, value: (items[i]!.v ?? 0) + 1 }]
    case 'set-id':
      return [{ op: 'replace', path: `${p}/id`, value: freshId(it.id) }]
    case 'add-extra':
      return [{ op: 'add', path: `${p}/extra`, value: it.v }]
    case 'remove-v':
      return items[i]!.v === undefined ? [] : [{ op: 'remove', path: `${p}/v` }]
    case 'move':
      return [{ op: 'move', from: p, path: it.to % 4 === 0 ? '/items/-' : `/items/${it.to % n}` }]
    case 'copy':
      return [{ op: 'copy', from: p, path: `/items/${it.to % (n + 1)}` }]
    case 'move-inside':
      return items[i]!.v === undefined ? [] : [{ op: 'move', from: `${p}/v`, path: `/items/${it.to % n}/extra` }]
    case 'move-into-item':
      // The target is counted after the removal; RFC 6902 forbids a path below `from` itself.
      return n < 2 || it.to % (n - 1) === i ? [] : [{ op: 'move', from: p, path: `/items/${it.to % (n - 1)}/child` }]
    case 'copy-then-rekey': {
      const j = it.to % (n + 1)
      return [
        { op: 'copy', from: p, path: `/items/${j}` },
        { op: 'replace', path: `/items/${j}/id`, value: freshId(it.id) },
      ]
    }
    case 'park':
    case 'copy-out':
      return [{ op: it.kind === 'park' ? 'move' : 'copy', from: p, path: `/parked/${it.to % (doc.parked.length + 1)}` }]
    case 'move-part-out':
      return items[i]!.v === undefined || doc.parked.length === 0 ? [] : [{ op: 'move', from: `${p}/v`, path: `/parked/${it.to % doc.parked.length}/v` }]
    case 'copy-then-remove': {
      const j = it.to % (n + 1)
      return [
        { op: 'copy', from: p, path: `/items/${j}` },
        { op: 'remove', path: `/items/${j <= i ? i + 1 : i}` },
      ]
    }
  }
}

/** One patch of several intents, each resolved against the document the ones before it leave. */
function patchOf(doc: Doc, step: readonly Intent[]): Operation[] {
  const patch: Operation[] = []
  for (const it of step) {
    const ops = resolve(doc, it)
    doc = applyPatch(doc, ops).value
    patch.push(...ops)
  }
  return patch
}

const unique = (items: readonly Item[]) => new Set(items.map((x) => x.id)).size === items.length

describe('a keyed index follows any sequence of patches', () => {
  it('keys, items, pointers, identities and watcher calls match the array after every revision', () => {
    const initial = fc.uniqueArray(fc.constantFrom(...IDS), { maxLength: 6 }).map((ids) => ids.map((id, v) => ({ id, v })))
    const steps = fc.array(fc.array(intent, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 25 })
    fc.assert(
      fc.property(initial, steps, (items, plan) => {
        const store = createStore<Doc>({ value: { items, other: 0, parked: [{ id: 'a', v: 9 }, { id: 'h', v: 9 }] } })
        const reported: unknown[] = []
        const index = createIndex(store, '/items', (item) => item.id, { onError: (e) => reported.push(e) })
        const calls = new Map<string, number>(IDS.map((id) => [id, 0]))
        for (const id of IDS) index.watch(id, () => calls.set(id, calls.get(id)! + 1))
        let orderCalls = 0
        index.subscribe(() => orderCalls++)
        // The last state the index accepted: watchers and subscribers are measured against it.
        let good = store.get().items ?? []
        let keys = index.keys()
        let handed = new Map(good.map((x) => [x.id, index.get(x.id)]))
        let failing = false
        for (const step of plan) {
          const patch = patchOf(store.get() as Doc, step)
          for (const id of IDS) calls.set(id, 0)
          orderCalls = 0
          if (!store.apply(patch)) continue
          const now = store.get().items ?? []
          if (!unique(now)) {
            expect(index.error).toBeInstanceOf(PatchError)
            expect(index.error!.code).toBe('KEY_DUPLICATE')
            expect(reported.at(-1)).toBe(index.error)
            expect(index.error!.message).toMatch(/items \d+ and \d+ have the same key/)
            expect(() => index.keys()).toThrow(index.error!)
            expect(() => index.get('a')).toThrow(index.error!)
            expect([...calls.values()].every((n) => n === 0)).toBe(true)
            expect(orderCalls).toBe(failing ? 0 : 1) // told once, when it starts failing
            failing = true
            continue
          }
          expect(index.error).toBeNull()
          const want = now.map((x) => x.id)
          expect(index.keys()).toEqual(want)
          const sameOrder = !failing && want.length === keys.length && want.every((k, i) => k === keys[i])
          expect(index.keys() === keys).toBe(sameOrder)
          expect(orderCalls).toBe(sameOrder ? 0 : 1)
          keys = index.keys()
          now.forEach((item, i) => {
            expect(index.get(item.id)).toEqual(item)
            expect(index.pointer(item.id)).toBe(`/items/${i}`)
            expect(store.get(index.pointer(item.id) as '/items/0')).toBe(item)
          })
          for (const id of IDS) {
            const before = good.find((x) => x.id === id)
            const after = now.find((x) => x.id === id)
            if (!after) {
              expect(index.get(id)).toBeUndefined()
              expect(index.pointer(id)).toBeUndefined()
            }
            // Changed means a different value: an item written back equal is no change.
            const changed = !isDeepStrictEqual(before, after)
            expect({ id, calls: calls.get(id) }).toEqual({ id, calls: changed ? 1 : 0 })
            if (!changed) expect(index.get(id)).toBe(handed.get(id))
            else if (after) expect(index.get(id)).toBe(after)
          }
          handed = new Map(now.map((x) => [x.id, index.get(x.id)]))
          good = now
          failing = false
        }
      }),
      { numRuns: 400 },
    )
  }, 60_000) // room for a loaded machine

  it('the index agrees with a fresh index built on the same array after every revision', () => {
    const initial = fc.uniqueArray(fc.constantFrom(...IDS), { maxLength: 6 }).map((ids) => ids.map((id, v) => ({ id, v })))
    const steps = fc.array(fc.array(intent, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 25 })
    fc.assert(
      fc.property(initial, steps, (items, plan) => {
        const store = createStore<Doc>({ value: { items, other: 0, parked: [{ id: 'a', v: 9 }, { id: 'h', v: 9 }] } })
        const index = createIndex(store, '/items', (item) => item.id, { onError: () => {} })
        for (const step of plan) {
          const patch = patchOf(store.get() as Doc, step)
          store.apply(patch)
          if (index.error) continue
          const fresh = createIndex(store, '/items', (item) => item.id)
          expect(index.keys()).toEqual(fresh.keys())
          for (const k of fresh.keys()) {
            expect(index.get(k)).toEqual(fresh.get(k))
            expect(index.pointer(k)).toBe(fresh.pointer(k))
          }
          fresh.dispose()
        }
      }),
      { numRuns: 200 },
    )
  }, 60_000)
})
