import { describe, expect, it } from 'vitest'
import { openStore } from 'patchdb/node'
import { createSyncServer } from 'patchdb/server'
import { RawClient } from './raw-client'
import { serve, tempDir } from './serve'

describe('mutations', () => {
  it('are acked with their revision before it arrives, and every client gets that revision', async () => {
    const { store, url } = await serve({ value: { todos: [] } })
    const a = await RawClient.connect(url, 'client-aaaa')
    const b = await RawClient.connect(url, 'client-bbbb')
    const ack = await a.mutate(1, [{ op: 'add', path: '/todos/-', value: 'x' }])
    expect(ack).toEqual({ type: 'ack', n: 1, id: store.revision })
    await a.until(() => a.at === store.revision)
    const revisionAt = a.messages.findIndex((m) => m.type === 'revision' && m.id === store.revision)
    expect(revisionAt).toBeGreaterThan(a.messages.indexOf(ack))
    await b.until(() => b.at === store.revision)
    expect(b.doc).toEqual({ todos: ['x'] })
    expect(store.get('/todos')).toEqual(['x'])
  })

  it('apply atomically: a failing operation rejects with its code and changes nothing, test operations are preconditions', async () => {
    const { store, url } = await serve({ value: { stock: 1, orders: [] } })
    const c = await RawClient.connect(url, 'client-aaaa')
    const before = store.revision
    const buy = [
      { op: 'test', path: '/stock', value: 1 },
      { op: 'replace', path: '/stock', value: 0 },
      { op: 'add', path: '/orders/-', value: 'one' },
    ]
    expect(await c.mutate(1, buy)).toMatchObject({ type: 'ack', n: 1 })
    const bought = store.revision
    expect(await c.mutate(2, buy)).toMatchObject({ type: 'reject', n: 2, code: 'TEST_FAILED' })
    expect(await c.mutate(3, [{ op: 'replace', path: '/stock', value: 5 }, { op: 'remove', path: '/missing' }])).toMatchObject({ type: 'reject', n: 3, code: 'PATH_NOT_FOUND' })
    expect(store.revision).toBe(bought)
    expect(bought).toBe(before + 1)
    expect(store.get()).toMatchObject({ stock: 0, orders: ['one'] })
  })

  it('are applied exactly once: a retried number is acked with the revision that held it, and welcome says what was applied', async () => {
    const { store, server, url } = await serve({ value: { n: 0 } })
    const a = await RawClient.connect(url, 'client-aaaa')
    const first = await a.mutate(1, [{ op: 'replace', path: '/n', value: 1 }, { op: 'add', path: '/log', value: 'once' }])
    a.close()
    await a.closed
    const b = await RawClient.open(url)
    b.doc = a.doc
    b.at = a.at
    const welcome = await b.hello('client-aaaa', { server: server.id, id: a.at })
    expect(welcome.applied).toBe(1)
    const again = await b.mutate(1, [{ op: 'replace', path: '/n', value: 1 }, { op: 'add', path: '/log', value: 'once' }])
    expect(again).toEqual(first)
    expect(store.revision).toBe((first as { id: number }).id)
  })

  it('a mutation applied while its connection dropped is applied once when the client resends it on a new connection', async () => {
    const { store, url } = await serve({ value: { count: 0 } })
    const a = await RawClient.connect(url, 'client-aaaa')
    a.send({ type: 'mutation', n: 1, patch: [{ op: 'replace', path: '/count', value: 1 }] })
    await new Promise<void>((r) => {
      const wait = () => (store.get('/count') === 1 ? r() : setTimeout(wait, 5))
      wait()
    })
    a.ws.terminate() // the client cannot know whether it was applied
    const b = await RawClient.connect(url, 'client-aaaa')
    const ack = await b.mutate(1, [{ op: 'replace', path: '/count', value: 1 }])
    expect(ack).toMatchObject({ type: 'ack', n: 1 })
    expect(store.log().filter((e) => e.patch.some((op) => op.path === '/count'))).toHaveLength(1)
  })

  it('are applied exactly once across a restart of a durable server: the record of the number is in the same revision', async () => {
    const dir = tempDir()
    const patch = [{ op: 'add', path: '/items/-', value: 'x' }]
    let store = await openStore(dir, { value: { items: [] }, sync: 'batch' })
    let server = createSyncServer({ store })
    let { port } = await server.listen({ port: 0 })
    const a = await RawClient.connect(`ws://127.0.0.1:${port}`, 'client-aaaa')
    const ack = await a.mutate(7, patch)
    expect(ack).toMatchObject({ type: 'ack', n: 7 })
    await server.close()
    await store.close()

    store = await openStore(dir, { sync: 'batch' })
    server = createSyncServer({ store })
    ;({ port } = await server.listen({ port: 0 }))
    try {
      const b = await RawClient.connect(`ws://127.0.0.1:${port}`, 'client-aaaa')
      expect((b.messages[0] as { applied: number }).applied).toBe(7)
      expect(await b.mutate(7, patch)).toEqual(ack)
      expect(await b.mutate(3, patch)).toMatchObject({ type: 'ack', n: 3 }) // below the last: done already
      expect(store.get('/items')).toEqual(['x'])
      expect(await b.mutate(8, patch)).toMatchObject({ type: 'ack', n: 8 })
      expect(store.get('/items')).toEqual(['x', 'x'])
    } finally {
      await server.close()
      await store.close()
    }
  })

  it('of a durable store are acked only once flushed: what a client is told is on disk', async () => {
    const dir = tempDir()
    const store = await openStore(dir, { value: { n: 0 }, sync: 'batch' })
    const server = createSyncServer({ store })
    const { port } = await server.listen({ port: 0 })
    try {
      const a = await RawClient.connect(`ws://127.0.0.1:${port}`, 'client-aaaa')
      for (let n = 1; n <= 5; n++) {
        const ack = (await a.mutate(n, [{ op: 'replace', path: '/n', value: n }])) as { id: number }
        // A reader of the directory sees only what was flushed.
        const disk = await openStore(dir, { readOnly: true })
        expect(disk.revision).toBeGreaterThanOrEqual(ack.id)
        expect(disk.get('/n')).toBe(n)
        await disk.close()
      }
    } finally {
      await server.close()
      await store.close()
    }
  })
})
