import fc from 'fast-check'
import { formatPointer, type JsonValue, type Operation, type Patch } from 'patchdb'

/** Keys that exercise escaping, numbers-as-keys and prototype names as plain data. */
const keys = fc.constantFrom('a', 'b', 'c', '0', '1', 'x/y', 'm~n', '', 'constructor', 'prototype')

const leaf = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant(null), fc.constantFrom('s', 't', ''))

/** Nested JSON objects and arrays up to depth 6, small so paths collide often. */
export const json: fc.Arbitrary<JsonValue> = fc.letrec<{ node: JsonValue }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 6 },
    leaf,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(keys, tie('node'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).node

export const doc: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(keys, json, { minKeys: 1, maxKeys: 4, noNullPrototype: true }) },
  { weight: 1, arbitrary: fc.array(json, { minLength: 1, maxLength: 4 }) },
)

/** Every pointer that exists in `value`, root first. */
export function pointersOf(value: unknown, base: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(base)
  if (Array.isArray(value)) value.forEach((v, i) => pointersOf(v, [...base, i], out))
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) pointersOf(v, [...base, k], out)
  return out
}

/** Existing pointers and places where something could be added. */
export function targets(value: unknown): { existing: string[]; addable: string[] } {
  const segs = pointersOf(value)
  const existing = segs.map(formatPointer)
  const addable = [...existing]
  for (const s of segs) {
    let v: unknown = value
    for (const k of s) v = (v as Record<string, unknown>)[k as string]
    if (Array.isArray(v)) addable.push(formatPointer([...s, '-']), formatPointer([...s, v.length]))
    else if (typeof v === 'object' && v !== null) addable.push(formatPointer([...s, 'k']), formatPointer([...s, 'x/y']))
  }
  addable.push('/nope/deeper', '/0/zz')
  return { existing, addable }
}

/** A random patch aimed at `value`: mostly valid against the first operations, often failing later. */
export function patchFor(value: unknown): fc.Arbitrary<Patch> {
  const { existing, addable } = targets(value)
  const ex = fc.constantFrom(...existing)
  const any = fc.constantFrom(...addable)
  const op: fc.Arbitrary<Operation> = fc.oneof(
    fc.record({ op: fc.constant('add' as const), path: any, value: json }),
    fc.record({ op: fc.constant('remove' as const), path: ex }),
    fc.record({ op: fc.constant('replace' as const), path: ex, value: json }),
    fc.record({ op: fc.constant('move' as const), from: ex, path: any }),
    fc.record({ op: fc.constant('copy' as const), from: ex, path: any }),
    fc.record({ op: fc.constant('test' as const), path: ex, value: json }),
  )
  return fc.array(op, { minLength: 1, maxLength: 4 })
}

export const docAndPatch = doc.chain((d) => fc.tuple(fc.constant(d), patchFor(d)))

/** Pointers worth watching around a change: all of before and after, plus missing ones. */
export const watchPoints = (before: unknown, after: unknown) => [
  ...new Set([...pointersOf(before), ...pointersOf(after)].map(formatPointer).concat(['/nope', '/0/zz', '/a/b/c'])),
]
