import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createStore, type JsonValue } from 'patchdb'
import { connectStore, type SyncedStore } from 'patchdb/client'
import { openStore } from 'patchdb/node'
import { createSyncServer, type SyncServer } from 'patchdb/server'
import { proxy, type Proxy } from './proxy'

// The client against the real server (patchdb/server), on loopback.

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})
const fast = { backoff: { base: 5, max: 50 } }

async function serve(store = createStore<JsonValue>({ value: {} }), options: Partial<Parameters<typeof createSyncServer>[0]> = {}) {
  const server = createSyncServer({ store, ...options })
  const { port } = await server.listen({ port: 0 })
  cleanups.push(() => server.close())
  return { server, store, url: `ws://127.0.0.1:${port}` }
}

function connect<T = any>(url: string, options: Parameters<typeof connectStore>[1] = {}): SyncedStore<T> {
  const client = connectStore<T>(url, { ...fast, ...options })
  cleanups.push(() => client.close())
  return client
}

/** The server's document without its bookkeeping. */
const visible = (server: SyncServer, store: { get(): unknown }) => {
  void server
  const { $sync: _, ...rest } = store.get() as Record<string, unknown>
  return rest
}

describe('client and server', () => {
  it("two clients converge: each one's writes reach the other, and synced() resolves once the server has them", async () => {
    const { server, store, url } = await serve(createStore<JsonValue>({ value: { todos: [] } }))
    const a = connect<{ todos: string[] }>(url)
    const b = connect<{ todos: string[] }>(url)
    await Promise.all([a.ready, b.ready])
    a.store.apply([{ op: 'add', path: '/todos/-', value: 'from a' }])
    b.store.apply([{ op: 'add', path: '/todos/-', value: 'from b' }])
    await Promise.all([a.synced(), b.synced()])
    await expect.poll(() => a.status.revision).toBe(store.revision)
    await expect.poll(() => b.status.revision).toBe(store.revision)
    expect(a.store.get()).toEqual(visible(server, store))
    expect(b.store.get()).toEqual(a.store.get())
    expect((a.store.get().todos as string[]).slice().sort()).toEqual(['from a', 'from b'])
  })

  it('a write the server refuses (a failed test precondition) is rolled back and synced() rejects with its code', async () => {
    const { store, url } = await serve(createStore<JsonValue>({ value: { v: 1 } }))
    const a = connect(url)
    await a.ready
    store.set('/v', 2) // on the server, before the client's mutation reaches it
    a.store.apply([
      { op: 'test', path: '/v', value: 1 },
      { op: 'replace', path: '/v', value: 3 },
    ])
    await expect(a.synced()).rejects.toMatchObject({ code: 'TEST_FAILED' })
    await expect.poll(() => a.status.pending).toBe(0)
    expect(a.store.get()).toEqual({ v: 2 })
  })

  it('read grants: a client sees only its pointers, and a write outside them is refused with FORBIDDEN', async () => {
    const { url } = await serve(createStore<JsonValue>({ value: { public: { a: 1 }, secret: { k: 'x' } } }), {
      authenticate: ({ token }) => (token ? { role: token } : null),
      authorize: { read: (p: { role: string }) => (p.role === 'admin' ? [''] : ['/public']) },
    })
    const guest = connect(url, { token: 'guest' })
    await guest.ready
    expect(guest.store.get()).toEqual({ public: { a: 1 } })
    guest.store.set('/secret', { k: 'mine' } as never)
    await expect(guest.synced()).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(guest.store.get()).toEqual({ public: { a: 1 } })
  })

  it('a mutation retried after a dropped connection is applied once', async () => {
    const { server, store, url } = await serve(createStore<JsonValue>({ value: { list: [] } }))
    const line = await proxy(new URL(url).port)
    cleanups.push(() => line.close())
    const a = connect<{ list: string[] }>(line.url)
    await a.ready
    for (let i = 0; i < 20; i++) {
      a.store.apply([{ op: 'add', path: '/list/-', value: `w${i}` }])
      if (i % 5 === 2) line.cut() // drops the sockets: some mutations were applied, some not, acks lost
    }
    await a.synced()
    await expect.poll(() => a.status.revision).toBe(store.revision)
    const list = (visible(server, store) as { list: string[] }).list
    expect(list).toEqual(Array.from({ length: 20 }, (_, i) => `w${i}`))
    expect(a.store.get()).toEqual(visible(server, store))
  })

  it("a burst of writes is paced under the server's maxMessages: none is closed as a flood, all are applied once", async () => {
    const { server, store, url } = await serve(createStore<JsonValue>({ value: { list: [] } }), { limits: { maxMessages: 10 } })
    const a = connect<{ list: number[] }>(url)
    await a.ready
    const errors: unknown[] = []
    a.on('status', () => a.status.error && errors.push(a.status.error))
    for (let i = 0; i < 30; i++) a.store.apply([{ op: 'add', path: '/list/-', value: i }])
    await a.synced()
    expect(errors).toEqual([])
    expect((visible(server, store) as { list: number[] }).list).toEqual(Array.from({ length: 30 }, (_, i) => i))
  })

  it('CBOR frames: a client that speaks CBOR and one that speaks JSON see the same document', async () => {
    const { url } = await serve(createStore<JsonValue>({ value: { list: [] } }))
    const cbor = connect<{ list: unknown[] }>(url, { encoding: 'cbor' })
    const json = connect<{ list: unknown[] }>(url)
    await Promise.all([cbor.ready, json.ready])
    cbor.store.apply([{ op: 'add', path: '/list/-', value: { text: 'é ✓', n: 1.5, nested: [null, true] } }])
    await cbor.synced()
    await expect.poll(() => json.store.get()).toEqual({ list: [{ text: 'é ✓', n: 1.5, nested: [null, true] }] })
    expect(cbor.store.get()).toEqual(json.store.get())
  })

  it("a lease keeps another client's writes out of its subtree (LEASED) until it is released", async () => {
    const { url } = await serve(createStore<JsonValue>({ value: { doc: { title: 't' }, other: 0 } }))
    const owner = connect(url)
    const rival = connect(url)
    await Promise.all([owner.ready, rival.ready])
    const lease = await owner.lease('/doc', { ttl: 10_000 })
    expect(lease.expires).toBeGreaterThan(Date.now())
    rival.store.set('/doc/title', 'rival')
    await expect(rival.synced()).rejects.toMatchObject({ code: 'LEASED' })
    expect(rival.store.get('/doc/title')).toBe('t')
    owner.store.set('/doc/title', 'owner')
    await owner.synced()
    await expect(rival.lease('/doc', { ttl: 1000 })).rejects.toMatchObject({ code: 'LEASED' })
    await lease.release()
    rival.store.set('/doc/title', 'rival')
    await rival.synced()
    await expect.poll(() => owner.store.get('/doc/title')).toBe('rival')
  })

  it('a durable server restarts with the same id: clients resume from their revision, with no dump', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'patchdb-sync-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    let db = await openStore<JsonValue>(dir, { value: { n: 0 }, sync: 'always' })
    let server = createSyncServer({ store: db })
    const { port } = await server.listen({ port: 0 })
    const a = connect<{ n: number }>(`ws://127.0.0.1:${port}`)
    await a.ready
    a.store.set('/n', 1)
    await a.synced()
    const id = server.id
    await server.close()
    await db.close()
    a.store.set('/n', 2) // offline: pending until the server is back
    db = await openStore<JsonValue>(dir, { sync: 'always' })
    server = createSyncServer({ store: db })
    await server.listen({ port })
    cleanups.push(async () => {
      await server.close()
      await db.close()
    })
    expect(server.id).toBe(id)
    await a.synced()
    expect(db.get('/n')).toBe(2)
    expect(a.store.get()).toEqual({ n: 2 })
  })
})
