import http from 'node:http'
import { describe, expect, it } from 'vitest'
import { createStore } from 'patchdb'
import { openStore } from 'patchdb/node'
import { createSyncServer } from 'patchdb/server'
import { RawClient } from './raw-client'
import { serve, tempDir } from './serve'

describe('connecting', () => {
  it('welcomes a client with the server id and a dump without the bookkeeping, then streams revisions', async () => {
    const { store, server, url } = await serve({ value: { todos: ['a'] } })
    const c = await RawClient.connect(url, 'client-aaaa')
    expect(c.messages[0]).toMatchObject({ type: 'welcome', v: 1, server: server.id, id: store.revision, applied: 0, grants: [''] })
    expect(c.doc).toEqual({ todos: ['a'] })
    store.apply([{ op: 'add', path: '/todos/-', value: 'b' }])
    await c.until(() => c.at === store.revision)
    expect(c.doc).toEqual({ todos: ['a', 'b'] })
    expect(c.gaps).toEqual([])
  })

  it('speaks CBOR binary frames to a client whose hello was CBOR', async () => {
    const { store, url } = await serve({ value: { n: 0 } })
    const c = await RawClient.connect(url, 'client-cbor', { encoding: 'cbor' })
    expect(await c.mutate(1, [{ op: 'replace', path: '/n', value: 1 }])).toMatchObject({ type: 'ack', n: 1 })
    await c.until(() => c.at === store.revision)
    expect(c.raw.every((f) => Buffer.isBuffer(f))).toBe(true)
    expect(c.doc).toEqual({ n: 1 })
  })

  it('attaches to an existing HTTP server, on its path only', async () => {
    const http1 = http.createServer((_q, r) => r.end('app'))
    const server = createSyncServer({ store: createStore({ value: { a: 1 } }), path: '/sync' })
    server.attach(http1)
    await new Promise<void>((r) => http1.listen(0, '127.0.0.1', r))
    const { port } = http1.address() as { port: number }
    try {
      const c = await RawClient.connect(`ws://127.0.0.1:${port}/sync`, 'client-http')
      expect(c.doc).toEqual({ a: 1 })
      c.close()
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('app')
    } finally {
      await server.close()
      http1.closeAllConnections()
      await new Promise((r) => http1.close(r))
    }
  })

  it('refuses the upgrade with 401 when authenticate returns null, and hands the token to it', async () => {
    const tokens: (string | null)[] = []
    const { url } = await serve({ authenticate: ({ token }) => (tokens.push(token), token === 'good' ? { user: 'u' } : null) })
    await expect(RawClient.open(url, { token: 'bad' })).rejects.toThrow(/401/)
    await expect(RawClient.open(url, { headers: { authorization: 'Bearer good' } })).resolves.toBeDefined()
    expect(tokens).toEqual(['bad', 'good'])
  })
})

describe('resume', () => {
  it('a client that resumes gets the revisions since its last one from the log, not a dump', async () => {
    const { store, server, url } = await serve({ value: { n: 0 } })
    const a = await RawClient.connect(url, 'client-aaaa')
    const at = a.at
    a.close()
    for (let i = 1; i <= 5; i++) store.set('/n', i)
    const b = await RawClient.open(url)
    b.doc = a.doc
    b.at = at
    await b.hello('client-aaaa', { server: server.id, id: at })
    const after = b.messages.slice(1)
    expect(after.map((m) => [m.type, (m as { id: number }).id])).toEqual([1, 2, 3, 4, 5].map((i) => ['revision', at + i]))
    // Replayed onto what the client had, they give the server's document.
    expect(b.doc).toEqual({ n: 5 })
    expect(b.gaps).toEqual([])
  })

  it("resumes from a durable store's log on disk after the server and the store restart", async () => {
    const dir = tempDir()
    let store = await openStore(dir, { value: { n: 0 }, sync: 'always' })
    let server = createSyncServer({ store })
    let { port } = await server.listen({ port: 0 })
    const a = await RawClient.connect(`ws://127.0.0.1:${port}`, 'client-aaaa')
    const id = server.id
    const at = a.at
    expect(a.doc).toEqual({ n: 0 })
    await server.close()
    for (let i = 1; i <= 3; i++) store.set('/n', i)
    await store.close()

    store = await openStore(dir, { sync: 'always' })
    server = createSyncServer({ store })
    ;({ port } = await server.listen({ port: 0 }))
    try {
      expect(server.id).toBe(id)
      const b = await RawClient.open(`ws://127.0.0.1:${port}`)
      b.doc = a.doc
      b.at = at
      await b.hello('client-aaaa', { server: id, id: at })
      expect(b.messages.slice(1).map((m) => m.type)).toEqual(['revision', 'revision', 'revision'])
      expect(b.doc).toEqual({ n: 3 })
    } finally {
      await server.close()
      await store.close()
    }
  })

  it('sends a dump when the log no longer reaches back to the client', async () => {
    const { store, server, url } = await serve({ store: createStore({ value: { n: 0 } }, { history: 3 }) })
    const at = store.revision
    for (let i = 1; i <= 10; i++) store.set('/n', i)
    const c = await RawClient.connect(url, 'client-aaaa', { resume: { server: server.id, id: at } })
    expect(c.messages.slice(1).map((m) => m.type)).toEqual(['dump'])
    expect(c.doc).toEqual({ n: 10 })
  })

  it("sends a dump when the server id changed: two histories are never mixed", async () => {
    const { store, url } = await serve({ value: { n: 0 } })
    store.set('/n', 1)
    const c = await RawClient.connect(url, 'client-aaaa', { resume: { server: 'another-history', id: 1 } })
    expect(c.messages.slice(1).map((m) => m.type)).toEqual(['dump'])
    expect(c.doc).toEqual({ n: 1 })
  })

  it('sends a dump to a client that claims a revision ahead of the server', async () => {
    const { server, url } = await serve({ value: { n: 0 } })
    const c = await RawClient.connect(url, 'client-aaaa', { resume: { server: server.id, id: 999 } })
    expect(c.messages.slice(1).map((m) => m.type)).toEqual(['dump'])
  })

  it('resends the revisions from the one a client asks for', async () => {
    const { store, url } = await serve({ value: { n: 0 } })
    const c = await RawClient.connect(url, 'client-aaaa')
    store.set('/n', 1)
    store.set('/n', 2)
    await c.until(() => c.at === store.revision)
    const before = c.messages.length
    c.at = store.revision - 2 // as if the last two were lost
    c.doc = { n: 0 }
    c.send({ type: 'resend', from: store.revision - 1 })
    await c.until(() => c.at === store.revision)
    expect(c.messages.slice(before).map((m) => [m.type, (m as { id: number }).id])).toEqual([
      ['revision', store.revision - 1],
      ['revision', store.revision],
    ])
    expect(c.doc).toEqual({ n: 2 })
  })
})
