import fc from 'fast-check'
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createStore, PatchError, type JsonValue, type Operation, type Revision, type Store } from 'patchdb'
import { doc as docArb, json, targets } from './arbitraries'

/*
 * A store that does not freeze (production) writes the nodes it made and nobody was
 * handed yet in place (transients). Nobody may be able to tell: the same steps on a
 * freezing store, which copies every node it writes, are the oracle. Each step is a
 * recipe of numbers resolved against the oracle's document, so fast-check shrinks it.
 */

const OPS = ['add', 'remove', 'replace', 'replace', 'replace', 'move', 'copy', 'test'] as const
type OpSeed = { op: number; a: number; b: number; value: JsonValue }
type Step =
  | { kind: 'apply'; ops: OpSeed[] }
  | { kind: 'set'; at: number; value: JsonValue; tweak: boolean }
  | { kind: 'transact'; reads: number[]; ops: OpSeed[]; abort: boolean }
  | { kind: 'get'; at: number }
  | { kind: 'watch'; at: number }
  | { kind: 'dump' }
  | { kind: 'valueAt'; back: number }

const opSeed = fc.record({ op: fc.nat(OPS.length - 1), a: fc.nat(), b: fc.nat(), value: json })
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('apply' as const), ops: fc.array(opSeed, { minLength: 1, maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: json, tweak: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('transact' as const),
      reads: fc.array(fc.nat(), { maxLength: 2 }),
      ops: fc.array(opSeed, { minLength: 1, maxLength: 3 }),
      abort: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('get' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('watch' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dump' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('valueAt' as const), back: fc.nat(4) }) },
)

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!

/** An operation aimed at `value` (the oracle's document): mostly valid, sometimes not. */
function operation(value: unknown, s: OpSeed): Operation {
  const { existing, addable } = targets(value)
  const op = OPS[s.op]!
  const path = op === 'add' || op === 'move' || op === 'copy' ? pick(addable, s.a) : pick(existing, s.a)
  if (op === 'move' || op === 'copy') return { op, from: pick(existing, s.b), path }
  if (op === 'remove') return { op, path }
  return { op, path, value: s.value }
}

/** `value` with one leaf changed, so that `set` writes a small diff deep inside it. */
function tweak(value: unknown, leaf: JsonValue): JsonValue {
  if (Array.isArray(value) && value.length > 0) return [tweak(value[0], leaf), ...value.slice(1)] as JsonValue
  if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) {
    const [k, v] = Object.entries(value)[0]!
    return { ...(value as Record<string, JsonValue>), [k]: tweak(v, leaf) }
  }
  return leaf
}

const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)))

/** Deep equality that takes `constructor` as a plain key (these documents hold it as data). */
function same(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepStrictEqual(actual, expected)) expect.fail(`${what}: ${JSON.stringify(actual)} is not ${JSON.stringify(expected)}`)
}
const errorOf = (e: unknown) => (e instanceof PatchError ? e.code : e instanceof Error ? e.message : String(e))

/** One store under test, with everything it handed out and every watcher call. */
class Run {
  readonly handed: { value: unknown; copy: unknown }[] = []
  readonly calls: { at: string; value: unknown; patch: unknown }[] = []
  constructor(readonly store: Store<JsonValue>) {}

  hand<V>(value: V): V {
    this.handed.push({ value, copy: clone(value) })
    return value
  }

  /** Runs `step` (resolved against `oracle`, the freezing store's document): what it returned or threw. */
  run(s: Step, oracle: JsonValue, retained: number[]): unknown {
    const store = this.store
    const { existing } = targets(oracle)
    try {
      switch (s.kind) {
        case 'apply':
          return revisionOf(store.apply(clone(s.ops.map((o) => operation(oracle, o)))))
        case 'set': {
          const at = pick(existing, s.at)
          return revisionOf(store.set(at, clone(s.tweak ? tweak(readAt(oracle, at), s.value) : s.value)))
        }
        case 'transact':
          return revisionOf(
            store.transact((tx) => {
              for (const r of s.reads) this.hand(tx.get(pick(existing, r)))
              // Each patch on its own: a failing one is rolled back, the transaction goes on.
              for (const o of s.ops) {
                try {
                  tx.apply([clone(operation(oracle, o))])
                } catch {
                  // refused: the others still apply
                }
              }
              if (s.abort) throw new Error('abort')
            }),
          )
        case 'get':
          return this.hand(store.get(pick(['', ...existing], s.at)))
        case 'watch': {
          const at = pick([...existing, '/nope'], s.at)
          store.watch(at, (value, revision) => this.calls.push({ at, value: this.hand(value), patch: clone(revision.patch) }))
          return at
        }
        case 'dump':
          return this.hand(store.dump())
        case 'valueAt':
          return retained.length === 0 ? null : this.hand(store.valueAt(pick(retained, s.back)))
      }
    } catch (e) {
      return { threw: errorOf(e) }
    }
  }
}

const revisionOf = (r: Revision | null) => (r === null ? null : { id: r.id, patch: clone(r.patch) })

function readAt(doc: unknown, pointer: string): unknown {
  let node = doc
  for (const k of pointer === '' ? [] : pointer.slice(1).split('/').map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    node = (node as Record<string, unknown>)[Array.isArray(node) ? Number(k) : k]
  }
  return node
}

const runs = { numRuns: Number(process.env.PATCHDB_PROPERTY_RUNS ?? 600) / 2 }

describe('transients: writes in place that nobody can tell from copies', () => {
  it('the same steps give the same results, revisions, log, watcher calls and values as a store that copies every node it writes', () => {
    fc.assert(
      fc.property(docArb, fc.array(step, { minLength: 1, maxLength: 24 }), (doc, steps) => {
        const oracle = new Run(createStore<JsonValue>({ value: doc }, { freeze: true }))
        const sut = new Run(createStore<JsonValue>({ value: doc }, { freeze: false }))
        for (const s of steps) {
          const now = oracle.store.get() as JsonValue
          const retained = [oracle.store.revision, ...oracle.store.log().map((e) => e.id - 1)]
          const expected = oracle.run(s, now, retained)
          const actual = sut.run(s, now, retained)
          same(clone(actual), clone(expected), `step ${JSON.stringify(s)}`)
          expect(sut.store.revision).toBe(oracle.store.revision)
          same(clone(sut.store.log()), clone(oracle.store.log()), 'log')
          same(clone(sut.calls), clone(oracle.calls), 'watcher calls')
        }
        same(sut.store.get(), oracle.store.get(), 'document')
      }),
      runs,
    )
  })

  it('a value handed out is never changed afterwards, whatever writes follow', () => {
    fc.assert(
      fc.property(docArb, fc.array(step, { minLength: 1, maxLength: 24 }), (doc, steps) => {
        const oracle = createStore<JsonValue>({ value: doc }, { freeze: true })
        const sut = new Run(createStore<JsonValue>({ value: doc }, { freeze: false }))
        const mirror = new Run(oracle)
        for (const s of steps) {
          const now = oracle.get() as JsonValue
          const retained = [oracle.revision, ...oracle.log().map((e) => e.id - 1)]
          mirror.run(s, now, retained)
          sut.run(s, now, retained)
          for (const h of sut.handed) same(clone(h.value), h.copy, 'a value handed out')
        }
      }),
      runs,
    )
  })

  it('values handed out are the same object exactly when the copying store hands out the same object (structural sharing as seen from outside)', () => {
    fc.assert(
      fc.property(docArb, fc.array(step, { minLength: 1, maxLength: 24 }), (doc, steps) => {
        const oracle = new Run(createStore<JsonValue>({ value: doc }, { freeze: true }))
        const sut = new Run(createStore<JsonValue>({ value: doc }, { freeze: false }))
        for (const s of steps) {
          const now = oracle.store.get() as JsonValue
          const retained = [oracle.store.revision, ...oracle.store.log().map((e) => e.id - 1)]
          oracle.run(s, now, retained)
          sut.run(s, now, retained)
        }
        const a = oracle.handed.map((h) => h.value)
        const b = sut.handed.map((h) => h.value)
        expect(b).toHaveLength(a.length)
        for (let i = 0; i < a.length; i++) {
          if (typeof a[i] !== 'object' || a[i] === null) continue
          for (let j = 0; j < i; j++) expect([i, j, b[i] === b[j]]).toStrictEqual([i, j, a[i] === a[j]])
        }
      }),
      runs,
    )
  })
})
