import fc from 'fast-check'
import { createStore, deepEqual, PatchError, type JsonValue, type Patch, type Store } from 'patchdb'
import { openStore, type DurableStore, type SyncPolicy } from 'patchdb/node'
import { describe, expect, it } from 'vitest'
import { dirs } from './fixtures/dirs'
import { deepestAccepted, nest } from './fixtures/depth'

const fresh = dirs('acknowledged')
const LIMIT = deepestAccepted()

// Keys that have broken stores before: pointer escapes, the empty key, prototype names,
// characters JSON and JS treat specially, astral characters.
const oddKey = fc.constantFrom('', '~', '/', '~0', '~1', '~01', 'a/b', '😀', '\u2028', '\u2029', 'constructor', 'prototype', 'toString', '__proto__', '0', '-', ' ')
const key = fc.oneof(oddKey, fc.string({ maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 3 }))
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }), // any code point, lone surrogates included
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('\ud83d', '\ude00', 'a\ud83db', '\u2028\u2029', '\u0000', 'é', 'e\u0301'),
  fc.tuple(fc.constantFrom('x', '€', '😀', '\u2028'), fc.integer({ min: 1000, max: 60_000 })).map(([c, n]) => c.repeat(n)),
)
const { json } = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(key, tie('json'), { maxKeys: 4 }),
  ),
}))
// Values that reach the depth limit: at the root's children they fit exactly; deeper, they
// are refused (by both stores alike).
const deep = fc.tuple(fc.integer({ min: LIMIT - 2, max: LIMIT + 1 }), text).map(([n, leaf]) => nest(n, leaf))
const value = fc.oneof({ weight: 6, arbitrary: json }, { weight: 1, arbitrary: deep })
// Mostly a few keys, so that writes often land on what earlier writes made.
const near = fc.constantFrom('a', 'b', '', '~', '/', '😀', 'constructor', '0')
const path = fc.oneof({ weight: 3, arbitrary: near.map((k) => [k]) }, { weight: 2, arbitrary: fc.array(fc.oneof({ weight: 3, arbitrary: near }, { weight: 1, arbitrary: key }), { minLength: 1, maxLength: 3 }) })

type Write =
  | { kind: 'add' | 'replace'; path: string[]; value: unknown }
  | { kind: 'remove'; path: string[] }
  | { kind: 'set'; path: string[]; value: unknown }
  | { kind: 'dump'; jump: number; value: unknown }
  | { kind: 'compact' }
const write: fc.Arbitrary<Write> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constantFrom('add' as const, 'replace' as const), path, value }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), path }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), path, value }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dump' as const), jump: fc.integer({ min: 0, max: 3 }), value: fc.dictionary(key, json, { maxKeys: 3 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
)
const batch = fc.record({
  sync: fc.constantFrom<SyncPolicy>('always', 'batch', 'none'),
  salvage: fc.boolean(),
  history: fc.constantFrom(0, 3, 100),
  writes: fc.array(write, { maxLength: 16 }),
})

const pointer = (segs: string[]) => segs.map((s) => `/${s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')

/** Runs one write on a store; returns what happened, for comparing the durable store with the model. */
function perform(store: Store<unknown>, w: Exclude<Write, { kind: 'compact' }>): string {
  try {
    switch (w.kind) {
      case 'remove':
        return String(store.apply([{ op: 'remove', path: pointer(w.path) }])?.id)
      case 'set':
        return String(store.set(pointer(w.path), w.value as JsonValue)?.id)
      case 'dump':
        return store.update({ id: store.revision + w.jump, value: w.value }).status
      default:
        return String(store.apply([{ op: w.kind, path: pointer(w.path), value: w.value }] as Patch)?.id)
    }
  } catch (e) {
    if (!(e instanceof PatchError)) throw e
    return `PatchError ${e.code}`
  }
}

describe('rule 12, what was acknowledged reopens unchanged: patchdb/node (property)', () => {
  it('whatever flush() acknowledged reopens deep-equal, also with salvage, across compactions and flush policies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 4 }), async (batches) => {
        const dir = fresh()
        // The model keeps a long history, so every revision the durable store retains can be checked.
        const model = createStore<unknown>({ value: {} }, { history: 1000, freeze: false })
        let db: DurableStore<unknown> | undefined
        try {
          for (const b of batches) {
            db = await openStore<unknown>(dir, { value: {}, sync: b.sync, salvage: b.salvage, history: b.history })
            // The reopened store is exactly what was acknowledged before it closed.
            expect(db.revision).toBe(model.revision)
            expect(deepEqual(db.get(), model.get())).toBe(true)
            expect(db.recovery.dropped).toEqual([])
            expect(db.recovery.truncated).toEqual([])
            for (const entry of db.log()) expect(deepEqual(db.valueAt(entry.id - 1), model.valueAt(entry.id - 1))).toBe(true)
            for (const w of b.writes) {
              if (w.kind === 'compact') await db.compact()
              else expect(perform(db, w)).toBe(perform(model, w))
            }
            await db.flush()
            await db.close()
          }
          db = await openStore<unknown>(dir, { salvage: true })
          expect(db.revision).toBe(model.revision)
          expect(deepEqual(db.get(), model.get())).toBe(true)
          expect(db.recovery.dropped).toEqual([])
        } finally {
          await db?.close()
        }
      }),
      { numRuns: 50 },
    )
  }, 60_000)
})
