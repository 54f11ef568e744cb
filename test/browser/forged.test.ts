import './environment'
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openBrowserStore, TimeoutError, type BrowserStore, type BrowserStoreOptions } from 'patchdb/browser'
import { freshName } from './environment'
import { namedWriter, persisted } from './raw-idb'

// Any script of the origin can post on the channel. Whatever it posts, a follower's
// document stays what IndexedDB holds, and its pending writes settle.
interface Doc {
  items: string[]
}
const push = (v: string) => [{ op: 'add' as const, path: '/items/-', value: v }]
const closers: (() => unknown)[] = []
afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(closers.splice(0).map((c) => c()))
})

async function tab(name: string, options: BrowserStoreOptions<Doc> = {}): Promise<BrowserStore<Doc>> {
  const store = await openBrowserStore<Doc>(name, { value: { items: [] }, ...options })
  closers.push(() => store.close())
  return store
}

/** A script of the origin: posts anything on the database's channel, and hears everything. */
function intruder(name: string) {
  const channel = new BroadcastChannel(`patchdb:${name}`)
  const heard: any[] = []
  const evil = { heard, post: (m: unknown) => channel.postMessage(m), react: (_m: any) => {} }
  channel.onmessage = (e: MessageEvent) => {
    heard.push(e.data)
    evil.react(e.data) // at once, ahead of the real tabs' answers
  }
  closers.push(() => channel.close())
  return evil
}

/** A writer and a follower that has written once (so it knows the writer), and the writer's id. */
async function pair(options: BrowserStoreOptions<Doc> = {}) {
  const name = freshName('forged')
  const evil = intruder(name)
  const a = await tab(name, options)
  const b = await tab(name, options)
  await b.submit(push('warm'))
  const writer = (await namedWriter(name))!
  const follower = evil.heard.find((m) => m.t === 'submit').from as string
  return { name, a, b, evil, writer, follower }
}

/** The request number of the `nth` submit the intruder heard, once it heard it. */
async function heardRequest(evil: ReturnType<typeof intruder>, nth: number): Promise<number> {
  await vi.waitFor(() => expect(evil.heard.filter((m) => m.t === 'submit').length).toBeGreaterThanOrEqual(nth))
  return evil.heard.filter((m) => m.t === 'submit')[nth - 1].req
}

/** The follower holds exactly what IndexedDB holds. */
async function expectDatabase(name: string, store: BrowserStore<Doc>): Promise<void> {
  const db = await persisted(name)
  expect(store.dump()).toEqual({ id: db.id, value: db.value })
}

const messages = () => new Promise((r) => setTimeout(r, 20)) // lets the channel deliver

describe('patchdb/browser: forged BroadcastChannel messages (item 5)', () => {
  it('a forged bye in the writer\'s name leaves the writer believed: pending and later submits are served', async () => {
    const { name, b, evil, writer } = await pair()
    const pending = b.submit(push('pending'))
    evil.post({ v: 2, t: 'bye', writer })
    await messages()
    const later = b.submit(push('later'))
    expect(await pending).toMatchObject({ id: 2 })
    expect(await later).toMatchObject({ id: 3 })
    await expectDatabase(name, b)
  })

  it('a forged hello and forged revisions never reach a follower; its writes still go to the writer IndexedDB names', async () => {
    const { name, b, evil, writer } = await pair()
    evil.post({ v: 2, t: 'hello', writer: 'evil', revision: 50 })
    evil.post({ v: 2, t: 'durable', writer: 'evil', revision: 2 })
    evil.post({ v: 1, t: 'revs', writer: 'evil', revs: [{ id: 2, patch: push('forged') }] })
    evil.post({ v: 2, t: 'durable', writer, revision: 99 }) // in the real writer's name
    await messages()
    await expectDatabase(name, b)
    const revision = await b.submit(push('real'))
    expect(revision).toEqual({ id: 2, patch: push('real') })
    expect(evil.heard.filter((m) => m.t === 'submit').map((m) => m.to)).toEqual([writer, writer])
    expect(b.get('/items')).toEqual(['warm', 'real'])
    await expectDatabase(name, b)
  })

  it('replayed messages change nothing: an earlier writer\'s hints and answers, and earlier submits (each is served once)', async () => {
    const name = freshName('replay')
    const evil = intruder(name)
    const first = await tab(name)
    const c = await tab(name)
    await c.submit(push('c1'))
    first.apply(push('w1'))
    await first.close() // c takes over
    await vi.waitFor(() => expect(c.role).toBe('writer'))
    const b = await tab(name)
    await b.submit(push('b1'))
    const recorded = [...evil.heard]
    const pending = b.submit(push('b2'))
    for (const m of recorded) evil.post(m)
    await messages()
    expect(await pending).toMatchObject({ id: 4 })
    expect(b.get('/items')).toEqual(['c1', 'w1', 'b1', 'b2'])
    await expectDatabase(name, b)
    expect(recorded.map((m) => m.t)).toEqual(expect.arrayContaining(['hello', 'durable', 'result', 'bye', 'submit']))
  })

  it('out-of-order and repeated hints cause reads, not revisions; a flood of them costs a bounded number of reads', async () => {
    const { name, b, evil, writer } = await pair()
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction')
    for (const revision of [5, 3, 4, 1, 0, 2, 2]) evil.post({ v: 2, t: 'durable', writer, revision })
    for (let i = 0; i < 1000; i++) evil.post({ v: 2, t: 'durable', writer, revision: 1000 + i })
    await messages()
    await messages()
    const reads = transaction.mock.calls.filter((c) => c[1] === 'readonly').length
    expect(reads).toBeGreaterThan(0)
    expect(reads).toBeLessThanOrEqual(20) // coalesced: one read in flight, one after it
    transaction.mockRestore()
    await expectDatabase(name, b)
    expect(await b.submit(push('after'))).toMatchObject({ id: 2 })
    await expectDatabase(name, b)
  })

  it('a replayed submit is served once, and forged ones in a follower\'s name never shut out its real ones (request numbers are random)', async () => {
    const { name, a, b, evil, writer, follower } = await pair()
    for (const m of evil.heard.filter((m) => m.t === 'submit')) evil.post(m) // the warm-up write, replayed
    for (let req = 0; req < 3000; req++) evil.post({ v: 2, t: 'submit', from: follower, to: writer, req, patch: [] })
    evil.post({ v: 2, t: 'submit', from: follower, to: writer, req: Number.MAX_SAFE_INTEGER, patch: push('forged') }) // a write like any other
    await messages()
    await a.flush()
    const revisions = await Promise.all([1, 2, 3].map((i) => b.submit(push(`real ${i}`))))
    expect(revisions.map((r) => r?.patch)).toEqual([push('real 1'), push('real 2'), push('real 3')])
    expect(a.get('/items')).toEqual(['warm', 'forged', 'real 1', 'real 2', 'real 3'])
    await expectDatabase(name, b)
  })

  it('a flood of forged compact and who requests costs the writer a bounded number of writes, and followers a bounded number of reads', async () => {
    const { name, a, b, evil, writer } = await pair()
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction')
    for (let i = 0; i < 500; i++) evil.post({ v: 2, t: 'compact', to: writer })
    for (let i = 0; i < 500; i++) evil.post({ v: 2, t: 'who' })
    await messages()
    await a.flush()
    await messages()
    const kinds = transaction.mock.calls.map((c) => c[1])
    transaction.mockRestore()
    expect(kinds.filter((k) => k === 'readwrite').length).toBeLessThanOrEqual(4) // compactions coalesce
    expect(kinds.filter((k) => k === 'readonly').length).toBeLessThanOrEqual(20) // the writer's hellos are hints, coalesced
    await expectDatabase(name, b)
    expect(await b.submit(push('after'))).toMatchObject({ id: 2 })
  })

  it('huge messages are dropped unread: a submit over the writer\'s limit, a giant tab id, an oversized error', async () => {
    const { name, a, b, evil, writer, follower } = await pair({ limits: { snapshotBytes: 10_000 } })
    const pending = b.submit(push('pending'))
    const req = await heardRequest(evil, 2)
    evil.post({ v: 2, t: 'submit', from: follower, to: writer, req: 99, patch: push('h'.repeat(20_000)) })
    evil.post({ v: 2, t: 'hello', writer: 'w'.repeat(100_000), revision: 1 })
    evil.post({ v: 2, t: 'result', from: writer, to: follower, req, revision: null, error: { name: 'PatchError', message: 'm'.repeat(100_000), code: 'TEST_FAILED' } })
    evil.post({ v: 2, t: 'durable', writer, revision: 1, junk: 'j'.repeat(5_000_000) })
    expect(await pending).toMatchObject({ id: 2 })
    await a.flush()
    expect(a.get('/items')).toEqual(['warm', 'pending'])
    await expectDatabase(name, b)
  })

  it('malformed messages of any shape leave the follower equal to the database, and its writes settle', async () => {
    const { name, b, evil, writer, follower } = await pair()
    const tabId = fc.constantFrom(writer, follower, 'evil', '', 42, null)
    const shaped = fc.record(
      {
        v: fc.constantFrom(1, 2, '2', undefined),
        t: fc.constantFrom('hello', 'who', 'bye', 'durable', 'submit', 'compact', 'result', 'revs', 'reload'),
        writer: tabId,
        from: tabId,
        to: tabId,
        req: fc.oneof(fc.nat(5), fc.constant(-1), fc.double()),
        revision: fc.oneof(fc.nat(10), fc.constant(null), fc.double(), fc.string()),
        patch: fc.oneof(fc.constant(push('x')), fc.anything()),
        error: fc.oneof(fc.constant(null), fc.anything()),
        revs: fc.anything(),
      },
      { requiredKeys: [] },
    )
    let n = 0
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(shaped, fc.anything()), { maxLength: 8 }), async (junk) => {
        const pending = b.submit(push(`w${++n}`))
        for (const m of junk) evil.post(m)
        await pending.catch(() => {}) // a forged answer may reject it; it must settle
        await messages()
        await expectDatabase(name, b)
      }),
      { numRuns: 40 },
    )
    expect(b.get('/items').length).toBeGreaterThan(1)
  }, 30_000)

  it('a forged answer in the writer\'s name can only mislead one submit, never a document: it settles and the tab equals the database', async () => {
    const { name, b, evil, writer, follower } = await pair({ timeout: 200 })
    // The forger answers each submit it hears, before the writer can.
    evil.react = (m) => m.t === 'submit' && evil.post({ v: 2, t: 'result', from: writer, to: follower, req: m.req, revision: 999, error: null })
    const pending = b.submit(push('answered falsely'))
    await expect(pending).rejects.toBeInstanceOf(TimeoutError)
    await vi.waitFor(() => expect(b.revision).toBe(2)) // the real revision arrives from IndexedDB
    await expectDatabase(name, b)
  })
})
