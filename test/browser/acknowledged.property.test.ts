import './environment'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { createStore, deepEqual, PatchError, type Operation, type Patch, type Store } from 'patchdb'
import { LimitError, openBrowserStore, type BrowserStore, type BrowserStoreOptions } from 'patchdb/browser'
import { depthLimit, nest } from './deep'
import { freshName } from './environment'
import { persisted } from './raw-idb'

// The invariant of issue 9: whatever flush() acknowledged reopens to the same value (deep
// equal, strings exact), and salvage opens every database the writer produced. Random
// writes from the writer tab and a follower tab, compared with an in-memory core store
// that has no limits of its own: deep values around the core's depth limit, long strings
// around the browser's size limits, odd Unicode (and lone surrogates) in values and keys,
// compaction in between, both tabs closed and reopened after each batch.

const LIMIT = depthLimit()
const limits = { patchBytes: 20_000, snapshotBytes: 200_000 }
type Doc = Record<string, unknown>
type Tab = 'writer' | 'follower'
type Write = { by: Tab } & ({ kind: 'set'; path: string; value: unknown } | { kind: 'apply'; patch: Patch } | { kind: 'compact' })

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')
const key = fc.oneof(
  fc.constantFrom('a', 'b', 'deep', 'list', '~', 'a/b', '', '😀', '👨‍👩‍👧', 'e\u0301', '\u2028', '\u0000', '\uffff', '𝟘', '__proto__', '0', '-'),
  fc.string({ unit: 'binary', maxLength: 3 }),
)
const pointer = fc.oneof(
  { weight: 3, arbitrary: key.map((k) => `/${escape(k)}`) },
  { weight: 1, arbitrary: fc.tuple(key, key).map(([a, b]) => `/${escape(a)}/${escape(b)}`) },
)
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('\ud83d', 'a\udc00b'), // lone surrogates: the core refuses them
)
const { json } = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('json'), { maxLength: 3 }),
    fc.dictionary(key, tie('json'), { maxKeys: 3 }),
  ),
}))
const op: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), path: key.map((k) => `/${escape(k)}`), value: json }),
  fc.record({ op: fc.constant('add' as const), path: pointer, value: json }),
  fc.record({ op: fc.constant('replace' as const), path: pointer, value: json }),
  fc.record({ op: fc.constant('remove' as const), path: pointer }),
  fc.record({ op: fc.constant('move' as const), from: pointer, path: pointer }),
  fc.record({ op: fc.constant('copy' as const), from: pointer, path: pointer }),
) as fc.Arbitrary<Operation>
// '/deep' holds nest(m) (depth m + 1 with the root); an add at its k-th level reaches the
// limit, or one past it: two writes, each far below the limit, that build a deep document.
const levels = [0, 1, 10, Math.floor(LIMIT / 2), LIMIT - 6]
const deepSet = fc
  .oneof(fc.integer({ min: LIMIT - 4, max: LIMIT }), fc.constantFrom(...levels.map((k) => k + 1)))
  .map((m) => ({ kind: 'set' as const, path: '/deep', value: nest(m) }))
const deepAdd = fc
  .tuple(fc.constantFrom(...levels), fc.integer({ min: -2, max: 1 }))
  .map(([k, delta]) => ({ kind: 'apply' as const, patch: [{ op: 'add', path: `/deep${'/a'.repeat(k)}/x`, value: nest(LIMIT - 2 - k + delta) }] as Patch }))
// Past patchBytes a revision is stored as a snapshot; a few of them pass snapshotBytes (refused).
const long = fc
  .tuple(pointer, fc.integer({ min: 5_000, max: 150_000 }), fc.constantFrom('🙂', 'x', '\u2028é'))
  .map(([path, n, unit]) => ({ kind: 'set' as const, path, value: unit.repeat(Math.ceil(n / unit.length)) }))
const write: fc.Arbitrary<Write> = fc
  .tuple(
    fc.constantFrom<Tab>('writer', 'follower'),
    fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), path: pointer, value: json }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('apply' as const), patch: fc.array(op, { minLength: 1, maxLength: 2 }) }) },
      { weight: 2, arbitrary: deepSet },
      { weight: 2, arbitrary: deepAdd },
      { weight: 1, arbitrary: long },
      { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
    ),
  )
  .map(([by, w]) => ({ by, ...w }) as Write)

const length = (v: unknown) => JSON.stringify(v).length

/** JSON of `v` with long strings cut and deep values shown by their depth. */
function brief(v: unknown): string {
  const depth = (x: unknown): number => {
    let n = 0
    for (let c = x; typeof c === 'object' && c !== null; c = (c as { a?: unknown }).a) n++
    return n
  }
  return JSON.stringify(v, function (_key, x: unknown) {
    if (typeof x === 'string' && x.length > 40) return `${x.slice(0, 20)}…(${x.length} chars)`
    if (typeof x === 'object' && x !== null && !Array.isArray(x) && 'a' in x && depth(x) > 8) return `nest(${depth(x)})`
    return x
  })
}

/** What the core alone does with the write: the error code, 'LIMIT' past the browser's limits, or the next model. */
function predict(model: Store<Doc>, w: Write): { error: string } | { next: Store<Doc> } {
  const trial = createStore<Doc>(model.dump() as { id: number; value: Doc })
  try {
    const revision = w.kind === 'set' ? trial.set(w.path as never, w.value as never) : w.kind === 'apply' ? trial.apply(w.patch) : null
    if (revision && (length(revision.patch) > limits.snapshotBytes || length(trial.get()) > limits.snapshotBytes)) return { error: 'LIMIT' }
    return { next: trial }
  } catch (e) {
    if (e instanceof PatchError) return { error: e.code }
    throw e
  }
}

/** Runs the write in its tab, as an app would, and returns what it threw (or undefined). */
async function perform(tabs: Record<Tab, BrowserStore<Doc>>, w: Write): Promise<unknown> {
  const s = tabs[w.by]
  try {
    if (w.kind === 'compact') await (w.by === 'writer' ? s.compact() : s.compact().then(() => s.flush()))
    else if (w.by === 'follower' && w.kind === 'apply') await s.submit(w.patch)
    else {
      if (w.kind === 'set') s.set(w.path as never, w.value as never)
      else s.apply(w.patch)
      await s.flush()
    }
  } catch (e) {
    return e
  }
}

function expectSame(actual: unknown, expected: unknown, where: string): void {
  if (!deepEqual(actual, expected)) expect(actual, where).toEqual(expected)
}

async function openTabs(name: string, round: number): Promise<Record<Tab, BrowserStore<Doc>>> {
  const options: BrowserStoreOptions<Doc> = { value: {}, limits, compact: { records: 4 }, history: 3 }
  // Every database the writer produced opens with salvage too, and salvages nothing.
  const writer = await openBrowserStore<Doc>(name, { ...options, salvage: round % 2 === 1 })
  const follower = await openBrowserStore<Doc>(name, { ...options, salvage: round % 2 === 0 })
  expect([writer.role, follower.role]).toEqual(['writer', 'follower'])
  expect([writer.salvaged, follower.salvaged]).toEqual([null, null])
  return { writer, follower }
}

describe('rule 12, what was acknowledged reopens unchanged: patchdb/browser (property)', () => {
  it('random writes from two tabs, reopened after each batch, equal an in-memory core store (deep, long, odd Unicode, compaction)', async () => {
    const run = await fc.check(
      fc.asyncProperty(fc.array(fc.array(write, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }), async (batches) => {
        const name = freshName('acknowledged')
        let model = createStore<Doc>({ value: {} })
        let tabs = await openTabs(name, 0)
        try {
          for (let round = 0; round < batches.length; round++) {
            for (const w of batches[round]!) {
              // A follower writes against its own view: let it read what the writer made durable.
              if (w.by === 'follower') await vi.waitFor(() => expect(tabs.follower.revision).toBe(model.revision))
              const predicted = predict(model, w)
              const thrown = await perform(tabs, w)
              if ('error' in predicted) {
                if (predicted.error === 'LIMIT') expect(thrown, 'a write past the limits').toBeInstanceOf(LimitError)
                else expect(thrown, `refused by the core as ${predicted.error}`).toMatchObject({ name: 'PatchError', code: predicted.error })
              } else {
                expect(thrown).toBeUndefined()
                model = predicted.next
              }
              expect(tabs[w.by].revision).toBe(model.revision)
            }
            await Promise.all([tabs.writer.flush(), tabs.follower.flush()])
            expectSame(tabs.writer.dump(), model.dump(), 'writer before reopen')
            await Promise.all([tabs.writer.close(), tabs.follower.close()])
            const stored = await persisted(name)
            expectSame({ id: stored.id, value: stored.value }, model.dump(), 'IndexedDB')
            tabs = await openTabs(name, round + 1)
            expectSame(tabs.writer.dump(), model.dump(), 'writer after reopen')
            expectSame(tabs.follower.dump(), model.dump(), 'follower after reopen')
          }
        } finally {
          await Promise.all([tabs.writer.close(), tabs.follower.close()])
        }
      }),
      { numRuns: 50, interruptAfterTimeLimit: 40_000 },
    )
    // The counterexample, summarised: deep values would print a thousand levels.
    if (run.failed) throw new Error(`after ${run.numRuns} runs, seed ${run.seed}, path ${run.counterexamplePath}: ${brief(run.counterexample)}`, { cause: run.errorInstance })
  }, 90_000)
})
