import { describe, expect, it } from 'vitest'
import { applyPatch, createStore, diff, formatPointer, getPath, parsePointer, PatchError, type JsonValue, type Patch } from 'patchdb'
import { applyBoth, applyThroughStore, codesFor, loadSuite, SHAPE_CODES, type Outcome } from './external-cases'

/*
 * Rule 2 beyond the RFC community suite: the cases four other projects wrote for their own
 * JSON Patch code (vendored with their licenses in fixtures/external, see its README), run
 * through patchdb. Each case either behaves as upstream expects ("same") or is listed in
 * DIFFERENCES with the reason and with what patchdb does instead, asserted exactly; no case
 * is left out, and the counts below add up to each suite's size.
 */

interface Case {
  id: string
  name: string
  /** Asserts the upstream project's own expectation, through patchdb. */
  upstream: () => void
  /** What patchdb does, for the cases where that is deliberately something else. */
  patchdb: () => unknown
}

interface Difference {
  why: string
  /** patchdb's documented behaviour for the case, compared with Case.patchdb(). */
  patchdb: unknown
}

// The whole-document remove: a store always holds a document, so it refuses it; the bare
// applyPatch, whose document may be absent (scoped patches remove their root), leaves undefined.
const ROOT_REMOVE = { store: { error: 'OPERATION_INVALID' }, bare: { value: undefined } }
const ROOT_REMOVE_WHY = "a store's whole document cannot be removed (OPERATION_INVALID); upstream leaves null"
const ROOT_OP_WHY = 'RFC 6902 allows the root pointer as a target (add/replace/move/copy replace the whole document); rfc6902 cannot address the root'
const IMPLICIT_ARRAYS_WHY = "rfc6902's implicitArrayCreation option creates a missing array for '/-'; patchdb has no such option, RFC 6902 requires the parent to exist"
const same = (outcome: unknown) => ({ store: outcome, bare: outcome })

const DIFFERENCES: Record<string, Difference> = {
  'fjp-20': { why: ROOT_REMOVE_WHY, patchdb: ROOT_REMOVE },
  'fjp-21': { why: ROOT_REMOVE_WHY, patchdb: ROOT_REMOVE },
  'fjp-98': { why: `${ROOT_REMOVE_WHY}, so nothing is displaced`, patchdb: ROOT_REMOVE },
  'fjp-153': {
    why: "a JSON array has no named members: '/prop' is not an index (fast-json-patch sets a property on the JS array)",
    patchdb: same({ error: 'INDEX_OUT_OF_BOUNDS' }),
  },
  'r-45': { why: ROOT_OP_WHY, patchdb: same({ value: 'b' }) },
  'r-55': { why: ROOT_OP_WHY, patchdb: same({ value: { b: 2 } }) },
  'r-56': { why: "a store's whole document cannot be removed (OPERATION_INVALID); rfc6902 cannot address the root", patchdb: ROOT_REMOVE },
  'r-57': { why: ROOT_OP_WHY, patchdb: same({ value: 1 }) },
  'r-58': { why: ROOT_OP_WHY, patchdb: same({ value: 1 }) },
  'r-70': { why: IMPLICIT_ARRAYS_WHY, patchdb: same({ error: 'PATH_NOT_FOUND' }) },
  'r-71': { why: IMPLICIT_ARRAYS_WHY, patchdb: same({ error: 'PATH_NOT_FOUND' }) },
  'r-72': { why: IMPLICIT_ARRAYS_WHY, patchdb: same({ error: 'PATH_NOT_FOUND' }) },
  'r-78': {
    why: "RFC 6901: '-' names an array's end only; in an object it is an ordinary member name, so it is added (rfc6902 refuses it under implicitArrayCreation)",
    patchdb: same({ value: { a: { b: 2, '-': 2 } } }),
  },
}

/** A refusal, with a code that means the upstream error; a failed `test` needs no name to be TEST_FAILED. */
const expectError = (outcome: Outcome, name: string | undefined, patch: unknown) => {
  expect(outcome).toHaveProperty('error')
  const code = (outcome as { error: string }).error
  if (name !== undefined) expect(codesFor(name)).toContain(code)
  else if (Array.isArray(patch) && patch.every((op) => op?.op === 'test')) expect(code).toBe('TEST_FAILED')
}

// ---------------------------------------------------------------- fast-json-patch

interface FjpCase {
  id: string
  name: string
  type: 'apply' | 'validate' | 'removed' | 'get' | 'patchUnchanged'
  doc?: unknown
  hasDoc?: boolean
  patch?: unknown
  pointer?: string
  expect: { value?: unknown; error?: true; errorName?: string; ok?: true; inputUnchanged?: unknown; valid?: true; removed?: unknown; patch?: unknown }
}
interface DiffPair { id: string; name: string; a: JsonValue; b: JsonValue }
interface Suite<C> { cases: C[]; diffPairs?: DiffPair[]; notApplicable?: { name: string; why: string }[] }

/**
 * fast-json-patch returns the value that was at the operation's target before it ran;
 * patchdb keeps that in its log instead: valueAt(0) rebuilds the previous document from the
 * logged inverse patch.
 */
function displaced(doc: unknown, patch: Patch): unknown {
  const outcome = applyThroughStore(doc, patch)
  if ('error' in outcome) return outcome
  const store = createStore({ value: structuredClone(doc) as JsonValue })
  store.apply(patch)
  expect(store.log()).toHaveLength(1)
  return getPath(store.valueAt(0), patch[0]!.path)
}

function fjpCase(c: FjpCase): Case {
  const doc = c.doc
  const patch = c.patch
  const e = c.expect
  switch (c.type) {
    case 'get':
      return { ...c, patchdb: () => getPath(doc, c.pointer!), upstream: () => expect(getPath(doc, c.pointer!)).toEqual(e.value) }
    case 'removed':
      return { ...c, patchdb: () => applyBoth(doc, patch), upstream: () => expect(displaced(doc, patch as Patch)).toEqual(e.removed) }
    case 'patchUnchanged':
      return {
        ...c,
        patchdb: () => applyThroughStore(doc, patch),
        upstream: () => {
          applyThroughStore(doc, patch)
          expect(patch).toEqual(e.patch)
        },
      }
    case 'validate': {
      // patchdb has no separate validate(): a patch is checked as it is applied. Without a
      // document, upstream checks the operations' shape only, so a valid patch may still
      // miss its target in `{}`, but must not be refused for its shape.
      const run = () => applyThroughStore(c.hasDoc ? doc : {}, patch)
      return {
        ...c,
        patchdb: () => applyBoth(c.hasDoc ? doc : {}, patch),
        upstream: () => {
          const outcome = run()
          if (e.valid && c.hasDoc) expect(outcome).toHaveProperty('value')
          else if (e.valid) expect(SHAPE_CODES).not.toContain((outcome as { error?: string }).error)
          else expectError(outcome, e.errorName, patch)
        },
      }
    }
    case 'apply': {
      const run = () => applyThroughStore(doc, patch)
      return {
        ...c,
        patchdb: () => applyBoth(doc, patch),
        upstream: () => {
          const outcome = run()
          if ('value' in e) expect(outcome).toEqual({ value: e.value })
          else if (e.error) expectError(outcome, e.errorName, patch)
          else if (e.ok) expect(outcome).toEqual({ value: doc })
          else if ('inputUnchanged' in e) {
            // The very object handed in, not a copy of it: neither entry may write to it.
            const input = structuredClone(doc) as JsonValue
            applyPatch(input, patch as Patch)
            createStore({ value: input }).apply(patch as Patch)
            expect(input).toEqual(e.inputUnchanged)
          } else throw new Error(`unknown expectation in ${c.id}`)
        },
      }
    }
  }
}

function diffCase(p: DiffPair): Case {
  const run = () => applyThroughStore(p.a, diff(p.a, p.b, '', []))
  return { ...p, patchdb: run, upstream: () => expect(run()).toEqual({ value: p.b }) }
}

// ---------------------------------------------------------------- rfc6902

interface RfcCase {
  id: string
  name: string
  type: 'apply' | 'get' | 'pointer'
  doc?: unknown
  patch?: Patch
  pointer?: string
  expect: { value?: unknown; results?: (string | null)[]; patchUnchanged?: boolean; noPollution?: boolean; valid?: boolean }
}

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).join()

function parses(pointer: string): boolean {
  try {
    parsePointer(pointer)
    return true
  } catch (e) {
    expect(e).toBeInstanceOf(PatchError)
    expect((e as PatchError).code).toBe('POINTER_INVALID')
    return false
  }
}

function rfcCase(c: RfcCase): Case {
  const e = c.expect
  switch (c.type) {
    case 'get':
      return { ...c, patchdb: () => getPath(c.doc, c.pointer!), upstream: () => expect(getPath(c.doc, c.pointer!)).toEqual(e.value) }
    case 'pointer':
      return { ...c, patchdb: () => parses(c.pointer!), upstream: () => expect(parses(c.pointer!)).toBe(e.valid) }
    case 'apply': {
      const run = () => applyThroughStore(c.doc, c.patch)
      return {
        ...c,
        patchdb: () => applyBoth(c.doc, c.patch),
        upstream: () => {
          const patchBefore = structuredClone(c.patch)
          const protoBefore = prototypeKeys()
          const outcome = run()
          // rfc6902 reports one result per operation; an RFC 6902 patch is refused whole on the first error.
          const failed = (e.results ?? []).find((r) => r !== null)
          if (failed) expectError(outcome, failed, c.patch)
          else if ('value' in e) expect(outcome).toEqual({ value: e.value })
          else expect(outcome).toHaveProperty('error') // only noPollution is asserted: the write must not land
          if (e.patchUnchanged) expect(c.patch).toEqual(patchBefore)
          if (e.noPollution) expect(prototypeKeys()).toBe(protoBefore)
        },
      }
    }
  }
}

// ---------------------------------------------------------------- immer

interface ImmerPatch { op: string; path: (string | number)[]; value?: unknown; from?: (string | number)[] }
interface ImmerCase {
  id: string
  name: string
  base: unknown
  patches: ImmerPatch[]
  inversePatches: ImmerPatch[]
  result: unknown
  immerReplay: unknown
  immerReverse: unknown
}

/** Immer writes paths as arrays of segments; RFC 6902 as pointers. */
const toRfc = (patches: ImmerPatch[]): Patch =>
  patches.map(({ path, from, ...rest }) => ({ ...rest, path: formatPointer(path), ...(from ? { from: formatPointer(from) } : {}) }) as Patch[number])

function immerCase(c: ImmerCase): Case {
  const run = () => [applyThroughStore(c.base, toRfc(c.patches)), applyThroughStore(c.result, toRfc(c.inversePatches))]
  return {
    ...c,
    patchdb: run,
    upstream: () => {
      expect(c.immerReplay).toEqual(c.result)
      expect(c.immerReverse).toEqual(c.base)
      expect(run()).toEqual([{ value: c.result }, { value: c.base }])
    },
  }
}

// ---------------------------------------------------------------- patch-db

interface PdbRecord { comment: string; doc: unknown; patch: Patch; expected?: unknown; error?: string }

function pdbCase(r: PdbRecord, id: string): Case {
  const run = () => applyThroughStore(r.doc, r.patch)
  return {
    id,
    name: r.comment,
    patchdb: () => applyBoth(r.doc, r.patch),
    upstream: () => {
      const outcome = run() // a refused patch is checked to leave value, revision and log as they were
      if (r.error !== undefined) expectError(outcome, r.error, r.patch)
      else expect(outcome).toEqual({ value: r.expected })
    },
  }
}

/**
 * patch-db's revert records: the last operation fails after others have changed the
 * document. Run on a store that already has history, so "the log is unchanged" is checked
 * against real entries (the same objects), not an empty log.
 */
function pdbRevertCase(r: PdbRecord, id: string): Case {
  const run = () => {
    const store = createStore({ value: structuredClone(r.doc) as JsonValue })
    store.apply([{ op: 'add', path: '/earlier', value: 1 }])
    store.apply([{ op: 'remove', path: '/earlier' }])
    const [value, log] = [store.get(), store.log()]
    let calls = 0
    store.watch('', () => calls++)
    const error = (() => {
      try {
        store.apply(r.patch)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(PatchError)
    expect(store.get()).toBe(value)
    expect(store.get()).toEqual(r.doc)
    expect(store.revision).toBe(2)
    expect(store.log()).toEqual(log)
    store.log().forEach((entry, i) => expect(entry).toBe(log[i]))
    expect(calls).toBe(0)
    return { error: (error as PatchError).code }
  }
  return {
    id,
    name: r.comment,
    patchdb: run,
    upstream: () => {
      expectError(run(), r.error, r.patch)
      expectError(applyThroughStore(r.doc, r.patch), r.error, r.patch)
    },
  }
}

// ---------------------------------------------------------------- the runs

const fjp = loadSuite<Suite<FjpCase>>('fast-json-patch/cases.json')
const rfc = loadSuite<Suite<RfcCase>>('rfc6902/cases.json')
const immer = loadSuite<Suite<ImmerCase>>('immer/cases.json')
const pdb = loadSuite<{ tests: PdbRecord[]; revertTests: PdbRecord[] }>('patch-db/json-patch-specs.json')

const suites = [
  { project: 'fast-json-patch', size: 154 + 41, counts: { same: 191, different: 4, notApplicable: 55 }, notApplicable: fjp.notApplicable!, cases: [...fjp.cases.map(fjpCase), ...fjp.diffPairs!.map(diffCase)] },
  { project: 'rfc6902', size: 97 + 28, counts: { same: 116, different: 9, notApplicable: 20 }, notApplicable: rfc.notApplicable!, cases: [...rfc.cases.map(rfcCase), ...rfc.diffPairs!.map(diffCase)] },
  { project: 'Immer', size: 51, counts: { same: 51, different: 0, notApplicable: 35 }, notApplicable: immer.notApplicable!, cases: immer.cases.map(immerCase) },
  {
    project: 'patch-db',
    size: 19 + 13,
    counts: { same: 32, different: 0, notApplicable: 0 },
    notApplicable: [],
    cases: [...pdb.tests.map((r, i) => pdbCase(r, `pdb-${i + 1}`)), ...pdb.revertTests.map((r, i) => pdbRevertCase(r, `pdb-revert-${i + 1}`))],
  },
]

for (const { project, size, counts, notApplicable, cases } of suites) describe(`rule 2, conformant: ${project}'s own cases through patchdb`, () => {
  const same = cases.filter((c) => !(c.id in DIFFERENCES))
  const different = cases.filter((c) => c.id in DIFFERENCES)

  it(`runs all ${size} cases of ${project}: ${counts.same} same as upstream, ${counts.different} documented differences`, () => {
    expect(cases).toHaveLength(size)
    expect(new Set(cases.map((c) => c.id)).size).toBe(size)
    expect({ same: same.length, different: different.length, notApplicable: notApplicable.length }).toEqual(counts)
    expect(counts.same + counts.different).toBe(size)
    // What the extraction left out (Map, Set, undefined, extension ops) is listed beside the suite, each with its reason.
    for (const n of notApplicable) expect(n.why).toMatch(/\w/)
  })

  it.each(same.map((c) => [`${c.id} ${c.name}`, c] as const))('same as upstream: %s', (_, c) => c.upstream())

  if (different.length > 0) {
    it.each(different.map((c) => [`${c.id} ${c.name} (${DIFFERENCES[c.id]!.why})`, c] as const))('documented difference: %s', (_, c) => {
      expect(c.patchdb()).toEqual(DIFFERENCES[c.id]!.patchdb)
      expect(() => c.upstream()).toThrow()
    })
  }
})

it('every documented difference names a case that exists', () => {
  const ids = new Set(suites.flatMap((s) => s.cases.map((c) => c.id)))
  for (const id of Object.keys(DIFFERENCES)) expect(ids).toContain(id)
})
