import fc from 'fast-check'
import jsonpatch, { type Operation as FjpOperation } from 'fast-json-patch'
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { applyPatch, createStore, PatchError, type JsonValue, type Patch } from 'patchdb'
import { doc as docArb, docAndPatch, json, patchFor, pointersOf, watchPoints } from './arbitraries'
import { formatPointer } from 'patchdb'

// A tree copy: structuredClone would keep shared subtrees shared, and the oracle mutates in place.
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v))
const at = (v: unknown, p: string) => {
  let node = v
  for (const k of p === '' ? [] : p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, k)) return undefined
    node = (node as Record<string, unknown>)[k]
  }
  return node
}

/**
 * fast-json-patch's verdict on the same patch, on a deep clone: the differential oracle.
 * It sees only add, remove, replace and test, one at a time, with move and copy spelled
 * out as RFC 6902 section 4.4-4.5 defines them (remove then add; add of the value), and
 * existence and array indices checked first: with its prototype guard off (needed, these
 * documents hold `constructor` and `prototype` as data) it would find inherited members.
 * A store always holds a document, so `remove ''` (fast-json-patch: null) is refused.
 */
function reference(doc: JsonValue, patch: Patch): { ok: true; value: unknown } | { ok: false } {
  let value: unknown = clone(doc)
  const parent = (p: string) => p.slice(0, p.lastIndexOf('/'))
  const exists = (p: string) => at(value, p) !== undefined
  const step = (op: FjpOperation) => {
    if (op.op === 'add' ? op.path !== '' && typeof at(value, parent(op.path)) !== 'object' : !exists(op.path)) throw new Error('missing')
    // RFC 6901: an array index is digits without a leading zero (or '-' to append)
    const key = op.path.slice(op.path.lastIndexOf('/') + 1)
    if (op.path !== '' && Array.isArray(at(value, parent(op.path))) && !/^(0|[1-9]\d*)$/.test(key) && !(op.op === 'add' && key === '-')) {
      throw new Error('not an index')
    }
    value = jsonpatch.applyOperation(value, op, true, true, false).newDocument
  }
  try {
    for (const op of clone(patch) as FjpOperation[]) {
      if (op.op === 'remove' && op.path === '') return { ok: false }
      if (op.op === 'move' || op.op === 'copy') {
        if (!exists(op.from)) return { ok: false }
        if (op.op === 'move' && op.path.startsWith(op.from + '/')) return { ok: false }
        const v = clone(at(value, op.from))
        if (op.op === 'move' && op.from === op.path) continue
        if (op.op === 'move') step({ op: 'remove', path: op.from })
        step({ op: 'add', path: op.path, value: v })
      } else step(op)
    }
    return { ok: true, value }
  } catch {
    return { ok: false }
  }
}

const runs = { numRuns: Number(process.env.PATCHDB_PROPERTY_RUNS ?? 600) }

describe('store properties on random documents and patches', { timeout: 120_000 }, () => {
  it('(a) the result equals fast-json-patch applying the same patch to a deep clone', () => {
    fc.assert(
      fc.property(docAndPatch, ([doc, patch]) => {
        const store = createStore({ value: doc })
        const ref = reference(doc, patch)
        let ours: { ok: true; value: unknown } | { ok: false }
        try {
          store.apply(patch)
          ours = { ok: true, value: store.get() }
        } catch (e) {
          expect(e).toBeInstanceOf(PatchError)
          ours = { ok: false }
        }
        expect(ours.ok).toBe(ref.ok)
        if (ours.ok && ref.ok) expect(ours.value).toEqual(ref.value)
      }),
      runs,
    )
  })

  it('(b) a scoped patch applied to the old sub-value gives the new sub-value', () => {
    fc.assert(
      fc.property(docAndPatch, ([doc, patch]) => {
        const store = createStore({ value: doc })
        const points = watchPoints(doc, reference(doc, patch).ok ? reference(doc, patch) : doc)
        const got = new Map<string, Patch>()
        for (const p of points) store.watch(p, (_, r) => got.set(p, r.patch))
        try {
          store.apply(patch)
        } catch {
          return
        }
        for (const [p, scoped] of got) {
          const { value } = applyPatch(at(doc, p), scoped)
          expect(value).toEqual(at(store.get(), p))
        }
      }),
      runs,
    )
  })

  it('(c) untouched subtrees keep their identity; changed nodes are new and frozen', () => {
    fc.assert(
      fc.property(docAndPatch, ([doc, patch]) => {
        const store = createStore({ value: doc })
        const before = store.get()
        try {
          store.apply(patch)
        } catch {
          return
        }
        const after = store.get()
        for (const s of pointersOf(before)) {
          const p = formatPointer(s)
          const o = at(before, p)
          const n = at(after, p)
          if (n === undefined) continue
          if (isDeepStrictEqual(o, n)) expect(n).toBe(o)
          else if (typeof n === 'object' && n !== null) expect(n).not.toBe(o)
        }
        for (const s of pointersOf(after)) {
          const v = at(after, formatPointer(s))
          if (typeof v === 'object' && v !== null) expect(Object.isFrozen(v)).toBe(true)
        }
      }),
      runs,
    )
  })

  it('(d) a watcher is called once if its value changed, and never if not', () => {
    fc.assert(
      fc.property(docAndPatch, ([doc, patch]) => {
        const store = createStore({ value: doc })
        const ref = reference(doc, patch)
        const points = watchPoints(doc, ref.ok ? ref.value : doc)
        const calls = new Map<string, unknown[]>(points.map((p) => [p, []]))
        for (const p of points) store.watch(p, (v) => calls.get(p)!.push(v))
        try {
          store.apply(patch)
        } catch {
          for (const c of calls.values()) expect(c).toEqual([])
          return
        }
        for (const p of points) {
          const changed = !isDeepStrictEqual(at(doc, p), at(store.get(), p))
          expect(calls.get(p)!.length, p).toBe(changed ? 1 : 0)
          if (changed) expect(calls.get(p)![0]).toBe(store.get(p))
        }
      }),
      runs,
    )
  })

  it('(e) a failing patch changes nothing', () => {
    fc.assert(
      fc.property(docAndPatch, ([doc, patch]) => {
        const store = createStore({ value: doc })
        // two revisions in the log, to see that it stays as it is
        store.apply([{ op: 'replace', path: '', value: 0 }])
        store.apply([{ op: 'replace', path: '', value: doc }])
        const before = store.get()
        const log = store.log()
        let calls = 0
        store.subscribe(() => calls++)
        store.watch('', () => calls++)
        try {
          store.apply(patch)
        } catch (e) {
          expect(e).toBeInstanceOf(PatchError)
          expect(store.get()).toBe(before)
          expect(store.revision).toBe(2)
          expect(store.log()).toEqual(log)
          expect(calls).toBe(0)
        }
      }),
      runs,
    )
  })

  it('(f) applying a revision inverse patch gives the previous document', () => {
    fc.assert(
      fc.property(docAndPatch, ([doc, patch]) => {
        const store = createStore({ value: doc })
        const before = store.get()
        try {
          if (!store.apply(patch)) return
        } catch {
          return
        }
        const [entry] = store.log()
        const undone = reference(store.get() as JsonValue, entry!.inverse)
        expect(undone.ok).toBe(true)
        if (undone.ok) expect(undone.value).toEqual(before)
        expect(store.valueAt(0)).toEqual(before)
      }),
      runs,
    )
  })

  it('(g) every value reachable from get() is frozen, also after transactions whose patches fail', () => {
    // A set of a fresh value, then patches aimed at the document (many fail and roll back
    // inside the transaction), then another set: the shape of the shrunk fuzz case.
    const txCase = docArb.chain((d) => {
      const pointers = pointersOf(d).map(formatPointer)
      return fc.tuple(fc.constant(d), fc.constantFrom(...pointers), json, fc.array(patchFor(d), { minLength: 1, maxLength: 3 }), fc.constantFrom(...pointers), json)
    })
    fc.assert(
      fc.property(txCase, ([doc, at1, v1, patches, at2, v2]) => {
        const store = createStore({ value: doc })
        const tryIt = (f: () => void) => {
          try {
            f()
          } catch (e) {
            expect(e).toBeInstanceOf(PatchError)
          }
        }
        store.transact((tx) => {
          tryIt(() => tx.set(at1 as never, v1 as never))
          for (const p of patches) tryIt(() => tx.apply(p))
          tryIt(() => tx.set(at2 as never, v2 as never))
        })
        for (const s of pointersOf(store.get())) {
          const v = at(store.get(), formatPointer(s))
          if (typeof v === 'object' && v !== null) expect(Object.isFrozen(v)).toBe(true)
        }
        for (const entry of store.log()) {
          for (const part of [entry.patch, entry.inverse]) {
            for (const s of pointersOf(part)) {
              const v = at(part, formatPointer(s))
              if (typeof v === 'object' && v !== null) expect(Object.isFrozen(v)).toBe(true)
            }
          }
        }
      }),
      { numRuns: runs.numRuns * 10 },
    )
  })

  it('a transaction equals its patches applied one by one, failed ones skipped', () => {
    fc.assert(
      fc.property(docAndPatch, docAndPatch, ([doc, p1], [, p2]) => {
        const sequential = createStore({ value: doc })
        const tx = createStore({ value: doc })
        for (const p of [p1, p2, p1]) {
          try {
            sequential.apply(p)
          } catch {
            /* a failed patch is simply not applied */
          }
        }
        tx.transact((t) => {
          for (const p of [p1, p2, p1]) {
            try {
              t.apply(p)
            } catch {
              /* caught inside the transaction: that patch alone is rolled back */
            }
          }
        })
        expect(tx.get()).toEqual(sequential.get())
        expect(tx.revision).toBe(isDeepStrictEqual(tx.get(), doc) ? 0 : 1)
      }),
      runs,
    )
  })
})
