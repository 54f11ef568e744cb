import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { getPath, parsePointer, type JsonValue, type Operation } from 'patchdb'
import { RawClient } from './raw-client'
import { serve } from './serve'

/*
 * Random writes (all six operations, single-operation patches) from random principals
 * (each with random read grants and a random write rule) and from the server itself. After
 * each one, every client's document equals the server's projected on its grants, and no
 * frame a client got carries a value that its grants did not show at that revision.
 */

const GRANTS = ['', '/a', '/a/x', '/b', '/b/0', '/c/y', '/d']
const PATHS = ['/a/x', '/a/y', '/a/z', '/b/0', '/b/1', '/b/-', '/c/x', '/c/y', '/c/y/z', '/d', '/a', '/b', '/c']

/** The reference projection, written apart from the server's: a skeleton of objects down to each grant, the value at each. */
function project(doc: JsonValue, grants: string[]): JsonValue {
  const segs = grants.map((g) => parsePointer(g)).filter((s) => s[0] !== '$sync')
  const kept = segs.filter((s) => !segs.some((o) => o.length < s.length && o.every((x, i) => s[i] === x)))
  if (kept.some((s) => s.length === 0)) {
    const { $sync: _, ...rest } = doc as Record<string, JsonValue>
    return rest
  }
  const out: Record<string, JsonValue> = {}
  for (const s of kept) {
    let node = out
    for (const k of s.slice(0, -1)) node = (node[k] ??= {}) as Record<string, JsonValue>
    const v = getPath(doc, s) as JsonValue | undefined
    if (v !== undefined) node[s.at(-1)!] = v
  }
  return out
}

/** Every token (a string value 't<n>') anywhere in `v`. */
function tokens(v: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof v === 'string' && /^t\d+$/.test(v)) out.add(v)
  else if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) tokens(x, out)
  return out
}

const principal = fc.record({
  reads: fc.subarray(GRANTS, { minLength: 1 }),
  writes: fc.subarray(['/a', '/b', '/c', '/d'], { minLength: 0 }),
})
let counter = 100
const value = fc.oneof(
  fc.constant(null).map(() => `t${counter++}`),
  fc.constant(null).map(() => ({ z: `t${counter++}` })),
  fc.constant(null).map(() => [`t${counter++}`]),
)
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ op: fc.constantFrom('add', 'replace', 'test'), path: fc.constantFrom(...PATHS), value }) as fc.Arbitrary<Operation>,
  fc.record({ op: fc.constant('remove'), path: fc.constantFrom(...PATHS) }) as fc.Arbitrary<Operation>,
  fc.record({ op: fc.constantFrom('move', 'copy'), from: fc.constantFrom(...PATHS), path: fc.constantFrom(...PATHS) }) as fc.Arbitrary<Operation>,
)
const step = fc.record({ by: fc.integer({ min: -1, max: 2 }), op: operation }) // -1: the server's own write

describe('grants, property', () => {
  it('every client document equals the server document projected on its grants, and no frame carries a value outside them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(principal, { minLength: 3, maxLength: 3 }), fc.array(step, { minLength: 1, maxLength: 12 }), async (principals, steps) => {
        const { store, url, server } = await serve<{ reads: string[]; writes: string[] }>({
          value: { a: { x: 't0', y: 't1' }, b: ['t2', 't3'], c: { x: 't4', y: { z: 't5' } } },
          authenticate: ({ token }) => principals[Number(token)] ?? null,
          authorize: { read: (p) => p.reads, write: (p, op) => p.writes.some((w) => op.path.startsWith(w + '/') || op.path === w) },
        })
        try {
          // The server document at each revision, to check what each frame was allowed to show.
          const docs = new Map<number, JsonValue>([[store.revision, store.get() as JsonValue]])
          store.subscribe((r) => docs.set(r.id, store.get() as JsonValue))
          const clients = await Promise.all(principals.map((_, i) => RawClient.connect(url, `client-${i}-xxxx`, { token: String(i) })))
          const ns = [0, 0, 0]
          for (const s of steps) {
            if (s.by < 0) {
              try {
                store.apply([s.op])
              } catch {
                // a write that does not apply: nothing happens
              }
            } else {
              await clients[s.by]!.mutate(++ns[s.by]!, [s.op])
            }
            await Promise.all(clients.map((c) => c.until(() => c.at === store.revision || c.gaps.length > 0)))
            clients.forEach((c, i) => {
              expect(c.gaps).toEqual([])
              expect(c.doc).toEqual(project(store.get() as JsonValue, principals[i]!.reads))
            })
          }
          clients.forEach((c, i) => {
            for (const m of c.messages) {
              if (m.type !== 'dump' && m.type !== 'revision') continue
              const visible = tokens(project(docs.get(m.id)!, principals[i]!.reads))
              for (const t of tokens(m.type === 'dump' ? m.value : m.patch)) expect(visible, `revision ${m.id} to client ${i}`).toContain(t)
            }
          })
          void server
          for (const c of clients) c.close()
        } finally {
          await server.close()
        }
      }),
      { numRuns: 40 },
    )
  }, 120_000)
})
