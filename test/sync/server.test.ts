import { afterEach, describe, expect, it } from 'vitest'
import { createStore } from 'patchdb'
import { createSyncServer, type SyncServer } from 'patchdb/server'
import { RawClient } from './raw-client'

const servers: SyncServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function serve(value: Record<string, unknown> = { todos: [] }, options: Partial<Parameters<typeof createSyncServer>[0]> = {}) {
  const store = createStore({ value: value as never })
  const server = createSyncServer({ store, ...options })
  servers.push(server)
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' })
  return { store, server, url: `ws://127.0.0.1:${port}` }
}

describe('createSyncServer', () => {
  it('welcomes a client with its server id and a dump without the bookkeeping, then streams revisions', async () => {
    const { store, server, url } = await serve({ todos: ['a'] })
    const c = await RawClient.connect(url, 'client-aaaa')
    const welcome = c.messages[0]!
    expect(welcome).toMatchObject({ type: 'welcome', v: 1, server: server.id, id: store.revision, applied: 0, grants: [''] })
    expect(c.doc).toEqual({ todos: ['a'] })
    store.apply([{ op: 'add', path: '/todos/-', value: 'b' }])
    await c.until(() => c.at === store.revision)
    expect(c.doc).toEqual({ todos: ['a', 'b'] })
  })

  it('applies a mutation, acks it before the revision that holds it, and every client gets that revision', async () => {
    const { store, url } = await serve({ todos: [] })
    const a = await RawClient.connect(url, 'client-aaaa')
    const b = await RawClient.connect(url, 'client-bbbb')
    const ack = await a.mutate(1, [{ op: 'add', path: '/todos/-', value: 'x' }])
    expect(ack).toEqual({ type: 'ack', n: 1, id: store.revision })
    const ackAt = a.messages.indexOf(ack)
    expect(a.messages.findIndex((m) => m.type === 'revision' && m.id === store.revision)).toBeGreaterThan(ackAt)
    await b.until(() => b.at === store.revision)
    expect(b.doc).toEqual({ todos: ['x'] })
    expect(store.get('/todos')).toEqual(['x'])
  })
})
