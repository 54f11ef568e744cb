// In-page checks of the acknowledged-reopens invariant in real Chromium, for the cases that
// cannot cross the DevTools protocol intact (lone surrogates, values 1,000 levels deep): the
// page builds them, compares with an in-memory core store, and reports digests and codes.
import { createStore, type Patch } from 'patchdb'
import { openBrowserStore, type BrowserStore } from 'patchdb/browser'
import { depthLimit, innermost, nest } from '../deep'
import { plant } from '../raw-idb'

type Doc = Record<string, unknown>
type Write = { kind: 'set'; path: string; value: unknown } | { kind: 'apply'; patch: Patch }

/** SHA-256 of the dump's JSON (which escapes lone surrogates, so equal text is equal strings). */
export async function digest(dump: unknown): Promise<string> {
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(dump)))
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** The writes a tab makes: odd Unicode, a document built to the depth limit by two adds, one past it, lone surrogates. */
function cases(role: 'writer' | 'follower'): Write[] {
  const limit = depthLimit()
  const first = Math.floor(limit / 2)
  const base = `/${role}`
  const deep = (extra: number): Write => ({
    kind: 'apply',
    patch: [{ op: 'add', path: innermost(`${base}/deep`, first) + '/b', value: nest(limit - 2 - first + extra) as never }],
  })
  return [
    { kind: 'set', path: base, value: { '👨‍👩‍👧': 'e\u0301 \u2028 \u0000 𝟘 \uffff', 'a/b~c': ['🙂'.repeat(3)] } },
    { kind: 'set', path: `${base}/big`, value: 'x'.repeat(1_500_000) + '🙂' }, // over patchBytes: a snapshot
    { kind: 'apply', patch: [{ op: 'add', path: `${base}/deep`, value: nest(first) as never }] },
    deep(0), // the document is now exactly `limit` deep
    deep(1), // TOO_DEEP
    { kind: 'apply', patch: [{ op: 'add', path: `${base}/cut`, value: 'emoji cut in half \ud83d' }] }, // VALUE_INVALID
    { kind: 'set', path: `${base}/keys`, value: { ['k\udc00']: 1 } }, // VALUE_INVALID
  ]
}

/**
 * Makes the writes of `role` in `store` (a follower through submit), and the same in a core
 * store started from the same dump. Returns each write's outcome and the expected digest.
 */
export async function writeCases(store: BrowserStore<Doc>, role: 'writer' | 'follower'): Promise<{ outcomes: string[]; expected: string }> {
  const model = createStore<Doc>(store.dump() as { id: number; value: Doc })
  const outcomes: string[] = []
  for (const w of cases(role)) {
    const run = (s: { set(p: never, v: never): unknown; apply(p: Patch): unknown }) => (w.kind === 'set' ? s.set(w.path as never, w.value as never) : s.apply(w.patch))
    let expected = 'ok'
    try {
      run(model)
    } catch (e) {
      expected = `${(e as Error).name}:${(e as { code?: string }).code}`
    }
    let outcome = 'ok'
    try {
      if (role === 'follower') await store.submit(w.kind === 'apply' ? w.patch : diffOf(store, w))
      else run(store)
    } catch (e) {
      outcome = `${(e as Error).name}:${(e as { code?: string }).code}`
    }
    outcomes.push(outcome === expected ? outcome : `${outcome} (the core alone: ${expected})`)
  }
  await store.flush()
  return { outcomes, expected: await digest(model.dump()) }
}

/** The patch `set` would forward, for `submit` (a follower's set returns null at once). */
function diffOf(store: BrowserStore<Doc>, w: Write & { kind: 'set' }): Patch {
  const trial = createStore<Doc>(store.dump() as { id: number; value: Doc })
  return trial.set(w.path as never, w.value as never)?.patch ?? []
}

/**
 * Opens a database whose snapshot a foreign script made `depth` deep: the error it gives.
 * (Chromium's IndexedDB reads a value nested deeper than about 2,100-2,500 levels as null.)
 */
export async function openPlantedDeep(name: string, depth: number): Promise<{ name: string; record?: string; cause?: string }> {
  await plant(name, { meta: [['snapshot', { format: 1, id: 0, value: nest(depth) }]] })
  try {
    await openBrowserStore(name)
    return { name: 'opened' }
  } catch (e) {
    const error = e as { name: string; record?: string; cause?: { code?: string } }
    return { name: error.name, record: error.record, ...(error.cause?.code ? { cause: error.cause.code } : {}) }
  }
}
