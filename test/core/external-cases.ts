import { readFileSync } from 'node:fs'
import { isDeepStrictEqual } from 'node:util'
import { expect } from 'vitest'
import { applyPatch, createStore, PatchError, type Patch, type PatchErrorCode } from 'patchdb'

/** Loads a vendored suite; `{"$undefined": true}` (the suites' mark for a JS undefined) becomes undefined. */
export function loadSuite<T>(file: string): T {
  const text = readFileSync(new URL(`./fixtures/external/${file}`, import.meta.url), 'utf8')
  return revive(JSON.parse(text)) as T
}

// Not a JSON.parse reviver: returning undefined from one deletes the member instead of keeping it undefined.
function revive(v: unknown): unknown {
  if (isUndefinedMark(v)) return undefined
  if (Array.isArray(v)) return v.map(revive)
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]))
  return v
}

const isUndefinedMark = (v: unknown) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && (v as { $undefined?: unknown }).$undefined === true

/** What patchdb did with a patch: the document after it, or the code it refused it with. */
export type Outcome = { value: unknown } | { error: PatchErrorCode }

/**
 * Applies `patch` to `doc` through a store and checks rule 1 on the way: a refused patch
 * leaves the value, the revision and the log as they were and calls no watcher. The same
 * patch through the bare `applyPatch` must give the same outcome, so both entries are held
 * to every case.
 */
export function applyThroughStore(doc: unknown, patch: unknown): Outcome {
  const { store, bare } = applyBoth(doc, patch)
  expect(bare).toEqual(store)
  return store
}

/** The outcomes through a store and through `applyPatch`, which differ only where a document may be absent. */
export function applyBoth(doc: unknown, patch: unknown): { store: Outcome; bare: Outcome } {
  const store = createStore({ value: structuredClone(doc) as never })
  const before = store.get()
  let calls = 0
  store.watch('', () => calls++)
  try {
    const revision = store.apply(patch as Patch)
    expect(revision === null).toBe(isDeepStrictEqual(store.get(), doc))
    expect(store.revision).toBe(revision === null ? 0 : 1)
    return { store: { value: store.get() }, bare: applyBare(doc, patch) }
  } catch (e) {
    if (!(e instanceof PatchError)) throw e
    expect(store.get()).toBe(before)
    expect(store.revision).toBe(0)
    expect(store.log()).toEqual([])
    expect(calls).toBe(0)
    return { store: { error: e.code }, bare: applyBare(doc, patch) }
  }
}

/**
 * The same patch through `applyPatch`, which also takes an absent document. Document and
 * patch are deep-frozen copies, as Immer hands them out: nothing may write to either.
 */
export function applyBare(doc: unknown, patch: unknown): Outcome {
  const input = deepFreeze(structuredClone(doc))
  try {
    return { value: applyPatch(input, deepFreeze(structuredClone(patch)) as Patch).value }
  } catch (e) {
    if (!(e instanceof PatchError)) throw e
    return { error: e.code }
  } finally {
    expect(input).toEqual(doc)
  }
}

/**
 * patchdb codes that mean what an upstream error name means. Names that several of our
 * codes can honestly stand for (a missing member vs. a bad pointer) map to all of them.
 */
const ERROR_CODES: Record<string, readonly PatchErrorCode[]> = {
  // fast-json-patch
  SEQUENCE_NOT_AN_ARRAY: ['OPERATION_INVALID'],
  OPERATION_NOT_AN_OBJECT: ['OPERATION_INVALID'],
  OPERATION_OP_INVALID: ['OPERATION_INVALID'],
  OPERATION_PATH_INVALID: ['OPERATION_INVALID', 'POINTER_INVALID'],
  OPERATION_FROM_REQUIRED: ['OPERATION_INVALID'],
  OPERATION_VALUE_REQUIRED: ['OPERATION_INVALID', 'VALUE_INVALID'],
  OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED: ['VALUE_INVALID'],
  OPERATION_PATH_UNRESOLVABLE: ['PATH_NOT_FOUND'],
  OPERATION_FROM_UNRESOLVABLE: ['PATH_NOT_FOUND'],
  OPERATION_PATH_CANNOT_ADD: ['PATH_NOT_FOUND'],
  OPERATION_VALUE_OUT_OF_BOUNDS: ['INDEX_OUT_OF_BOUNDS'],
  OPERATION_PATH_ILLEGAL_ARRAY_INDEX: ['INDEX_OUT_OF_BOUNDS'],
  TEST_OPERATION_FAILED: ['TEST_FAILED'],
  TypeError: ['UNSAFE_PATH'], // what fast-json-patch throws for a path through __proto__
  // rfc6902 (MissingError covers every target it cannot reach, a move into itself included)
  TestError: ['TEST_FAILED'],
  MissingError: ['PATH_NOT_FOUND', 'INDEX_OUT_OF_BOUNDS', 'MOVE_INTO_ITSELF'],
  InvalidOperationError: ['OPERATION_INVALID'],
  // patch-db's json-patch crate (its messages)
  'cannot index literal': ['PATH_NOT_FOUND'],
  'cannot find parent': ['POINTER_INVALID'],
  'invalid pointer': ['PATH_NOT_FOUND', 'INDEX_OUT_OF_BOUNDS'],
  'cannot move inside children': ['MOVE_INTO_ITSELF'],
}

/** Codes for an upstream error name; an unknown name fails loudly rather than matching anything. */
export function codesFor(name: string): readonly PatchErrorCode[] {
  const codes = ERROR_CODES[name]
  if (!codes) throw new Error(`no patchdb code mapped for upstream error ${JSON.stringify(name)}`)
  return codes
}

/** Codes that say the patch itself is malformed, whatever the document. */
export const SHAPE_CODES: readonly PatchErrorCode[] = ['OPERATION_INVALID', 'POINTER_INVALID', 'VALUE_INVALID', 'UNSAFE_PATH']

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) for (const x of Object.values(Object.freeze(v))) deepFreeze(x)
  return v
}
