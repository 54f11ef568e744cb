import './environment'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PatchError } from 'patchdb'
import { openBrowserStore, TimeoutError, WriterChangedError, type BrowserStore } from 'patchdb/browser'
import { freshName } from './environment'
import { readRaw } from './raw-idb'

// Each store is one "tab": its own BroadcastChannel and lock request, sharing the
// origin's IndexedDB and lock manager, as tabs do.
interface Doc {
  items: string[]
  title: string
}
const initial: Doc = { items: [], title: 'old' }
const open: BrowserStore<Doc>[] = []
async function tab(name: string): Promise<BrowserStore<Doc>> {
  const store = await openBrowserStore<Doc>(name, { value: initial })
  open.push(store)
  return store
}
const push = (v: string) => [{ op: 'add' as const, path: '/items/-', value: v }]

afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(open.splice(0).map((s) => s.close()))
})

describe('patchdb/browser: one writer, many followers', () => {
  it('the first tab writes, the second follows and starts from the same state', async () => {
    const name = freshName('roles')
    const a = await tab(name)
    a.apply(push('a1'))
    await a.flush()
    const b = await tab(name)
    expect([a.role, b.role]).toEqual(['writer', 'follower'])
    expect(b.dump()).toEqual(a.dump())
  })

  it("a follower's apply forwards the patch and returns null; the revision arrives in both tabs and in IndexedDB", async () => {
    const name = freshName('forward')
    const a = await tab(name)
    const b = await tab(name)
    expect(b.apply(push('from b'))).toBeNull()
    expect(b.get('/items')).toEqual([]) // not applied locally: it waits for the writer's revision
    await b.flush()
    expect(b.get('/items')).toEqual(['from b'])
    expect(a.dump()).toEqual(b.dump())
    expect((await readRaw(name)).log.map((r) => r.value.patch)).toEqual([push('from b')])
  })

  it('submit resolves with the revision once this follower shows it; watchers fire there', async () => {
    const name = freshName('submit')
    await tab(name)
    const b = await tab(name)
    const seen: unknown[] = []
    b.watch('/title', (v) => seen.push(v))
    const revision = await b.submit([{ op: 'replace', path: '/title', value: 'new' }])
    expect(revision).toEqual({ id: 1, patch: [{ op: 'replace', path: '/title', value: 'new' }] })
    expect(b.revision).toBe(1)
    expect(b.get('/title')).toBe('new')
    expect(seen).toEqual(['new'])
  })

  it("a follower's set and transact are diffed against its view and forwarded as one patch", async () => {
    const name = freshName('set')
    const a = await tab(name)
    const b = await tab(name)
    b.set('/title', 'via set')
    b.transact((tx) => {
      tx.apply(push('x'))
      tx.apply(push('y'))
    })
    await b.flush()
    expect(a.get()).toEqual({ items: ['x', 'y'], title: 'via set' })
    expect(a.revision).toBe(2)
    expect(b.dump()).toEqual(a.dump())
  })

  it("a patch invalid against the follower's view throws at once, as in the core", async () => {
    const name = freshName('invalid')
    await tab(name)
    const b = await tab(name)
    expect(() => b.apply([{ op: 'remove', path: '/nope' }])).toThrow(PatchError)
    await expect(b.submit([{ op: 'remove', path: '/nope' }])).rejects.toMatchObject({ code: 'PATH_NOT_FOUND' })
  })

  it('a patch the writer refuses (its document moved on) rejects submit with the PatchError, and flush reports it', async () => {
    const name = freshName('refused')
    const a = await tab(name)
    const b = await tab(name)
    const guarded = [
      { op: 'test' as const, path: '/title', value: 'old' },
      { op: 'replace' as const, path: '/title', value: 'mine' },
    ]
    a.set('/title', 'theirs') // b has not seen it yet: its test passes locally, fails at the writer
    const error = await b.submit(guarded).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PatchError)
    expect(error).toMatchObject({ code: 'TEST_FAILED', index: 0, path: '/title' })
    await vi.waitFor(() => expect(b.get('/title')).toBe('theirs'))

    a.set('/title', 'again')
    expect(b.apply(guarded.map((op) => (op.op === 'test' ? { ...op, value: 'theirs' } : op)))).toBeNull()
    await expect(b.flush()).rejects.toMatchObject({ code: 'TEST_FAILED' })
    await expect(b.flush()).resolves.toBeUndefined() // reported once
    expect(a.get('/title')).toBe('again')
  })

  it('a lost message leaves a gap: the follower reads IndexedDB and catches up', async () => {
    const name = freshName('gap')
    const a = await tab(name)
    const b = await tab(name)
    await b.submit(push('warm')) // b has heard the writer's hello: only the revs messages can inform it now
    const post = BroadcastChannel.prototype.postMessage
    let dropped = 0
    vi.spyOn(BroadcastChannel.prototype, 'postMessage').mockImplementation(function (this: BroadcastChannel, m: unknown) {
      // The environment loses the first "durable" message.
      if ((m as { t?: string }).t === 'durable' && dropped++ === 0) return
      post.call(this, m)
    })
    a.apply(push('lost'))
    await a.flush()
    a.apply(push('seen'))
    await a.flush()
    expect(dropped).toBe(2)
    await vi.waitFor(() => expect(b.revision).toBe(3))
    expect(b.get('/items')).toEqual(['warm', 'lost', 'seen'])
  })

  it('junk, other protocol versions and hints from a tab that is not the writer change nothing', async () => {
    const name = freshName('junk')
    const a = await tab(name)
    const b = await tab(name)
    const intruder = new BroadcastChannel(`patchdb:${name}`)
    for (const junk of [
      'hello',
      null,
      { v: 1, t: 'revs', writer: 'x', revs: [{ id: 1, patch: push('forged') }] },
      { v: 2, t: 'durable', writer: 'not-the-writer', revision: 1 },
      { v: 2, t: 'durable', writer: 'x', revision: 'nope' },
      { v: 2, t: 'submit', from: 'x', to: 'y', req: -1, patch: [] },
      { v: 2, t: 'result', from: 'x', to: 'z', req: 1, revision: { id: 'one' }, error: null },
    ]) {
      intruder.postMessage(junk)
    }
    intruder.close()
    await new Promise((r) => setTimeout(r, 20))
    expect(b.revision).toBe(0)
    expect(b.get('/items')).toEqual([])
    await b.submit(push('real'))
    expect(a.get('/items')).toEqual(['real'])
    expect(b.get('/items')).toEqual(['real'])
  })

  it('when the writer closes, a follower is elected, takes over and persists; new tabs follow it', async () => {
    const name = freshName('takeover')
    const a = await tab(name)
    const b = await tab(name)
    const roles: string[] = []
    b.onRoleChange((r) => roles.push(r))
    a.apply(push('by a'))
    await a.close()
    await vi.waitFor(() => expect(b.role).toBe('writer'))
    expect(roles).toEqual(['writer'])
    expect(b.get('/items')).toEqual(['by a'])
    b.apply(push('by b'))
    const c = await tab(name)
    expect(c.role).toBe('follower')
    await c.submit(push('by c'))
    expect(b.get('/items')).toEqual(['by a', 'by b', 'by c'])
    expect(c.dump()).toEqual(b.dump())
    await Promise.all([b.close(), c.close()])
    const d = await tab(name)
    expect(d.get('/items')).toEqual(['by a', 'by b', 'by c'])
  })

  it('a patch sent to a writer that closes before serving it rejects with WriterChangedError', async () => {
    const name = freshName('orphan')
    const a = await tab(name)
    const b = await tab(name)
    await b.submit(push('first')) // b now knows the writer, so the next patch is sent to it
    const sent = b.submit(push('orphan'))
    void a.close() // closing at once: the submit arrives too late to be served
    await expect(sent).rejects.toBeInstanceOf(WriterChangedError)
    await vi.waitFor(() => expect(b.role).toBe('writer'))
    expect(b.get('/items')).toEqual(['first'])
    await b.submit(push('retried'))
    expect((await readRaw(name)).log.map((r) => r.value.patch)).toEqual([push('first'), push('retried')])
  })

  it('three tabs writing at once converge on one history, the same as IndexedDB holds', async () => {
    const name = freshName('three')
    const tabs = [await tab(name), await tab(name), await tab(name)]
    for (let i = 0; i < 40; i++) tabs.forEach((t, k) => t.apply(push(`${k}:${i}`)))
    await Promise.all(tabs.map((t) => t.flush()))
    await vi.waitFor(() => expect(tabs.map((t) => t.revision)).toEqual([120, 120, 120]))
    const [first, ...rest] = tabs.map((t) => t.dump())
    for (const d of rest) expect(d).toEqual(first)
    for (let k = 0; k < 3; k++) {
      const mine = first!.value.items.filter((v) => v.startsWith(`${k}:`))
      expect(mine).toEqual(Array.from({ length: 40 }, (_, i) => `${k}:${i}`)) // each tab's order kept
    }
    await Promise.all(tabs.map((t) => t.close()))
    const reopened = await tab(name)
    expect(reopened.dump()).toEqual(first)
  })

  it('tabs opening a new database with different initial values all start from the one the writer wrote', async () => {
    const name = freshName('initial')
    const [a, b] = await Promise.all(
      ['a', 'b'].map(async (title) => {
        const store = await openBrowserStore<Doc>(name, { value: { items: [], title } })
        open.push(store)
        return store
      }),
    )
    const writer = a.role === 'writer' ? a : b
    expect(a.dump()).toEqual(writer.dump())
    expect(b.dump()).toEqual(writer.dump())
    expect((await readRaw(name)).snapshot.value).toEqual(writer.get())
  })

  it('a follower of a new database that no writer initialises fails its open with TimeoutError', async () => {
    const name = freshName('no-first-snapshot')
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    void navigator.locks.request(`patchdb:${name}`, { mode: 'exclusive' }, () => held) // a tab that holds the lock and never writes
    await expect(openBrowserStore(name, { timeout: 100 })).rejects.toBeInstanceOf(TimeoutError)
    release()
  })

  it('update() belongs to the writer; a follower refuses it clearly', async () => {
    const name = freshName('update')
    const a = await tab(name)
    const b = await tab(name)
    expect(a.update({ id: 1, patch: push('from server') }).status).toBe('applied')
    expect(() => b.update({ id: 2, patch: push('x') })).toThrow(/writer tab only/)
    await a.flush()
    await vi.waitFor(() => expect(b.get('/items')).toEqual(['from server']))
  })

  it("a follower's compact() asks the writer to compact", async () => {
    const name = freshName('compact')
    await tab(name)
    const b = await tab(name)
    await b.submit(push('1'))
    await b.submit(push('2'))
    await b.compact()
    await vi.waitFor(async () => expect((await readRaw(name)).snapshot.id).toBe(2))
    expect((await readRaw(name)).log).toEqual([])
  })
})
