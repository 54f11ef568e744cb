import { describe, expect, it } from 'vitest'
import { openStore } from 'patchdb/node'
import { createSyncServer } from 'patchdb/server'
import { RawClient } from './raw-client'
import { serve, tempDir } from './serve'

const lease = async (c: RawClient, n: number, path: string, ttl: number) => {
  const answer = c.next((m) => (m.type === 'ack' || m.type === 'reject') && m.n === n)
  c.send({ type: 'lease', n, path, ttl })
  return answer
}
const release = async (c: RawClient, n: number, path: string) => {
  const answer = c.next((m) => (m.type === 'ack' || m.type === 'reject') && m.n === n)
  c.send({ type: 'release', n, path })
  return answer
}

describe('leases', () => {
  it('give one client exclusive writes under a subtree until released; others are rejected with LEASED', async () => {
    const { store, url } = await serve({ value: { doc: { title: 't', body: 'b' }, other: 0 } })
    const alice = await RawClient.connect(url, 'client-alice')
    const bob = await RawClient.connect(url, 'client-bob')
    const granted = await lease(alice, 1, '/doc', 60_000)
    expect(granted).toMatchObject({ type: 'ack', n: 1 })
    expect((granted as { expires: number }).expires).toBeGreaterThan(Date.now())
    const before = store.get()
    expect(await bob.mutate(1, [{ op: 'replace', path: '/doc/title', value: 'bob' }])).toMatchObject({ type: 'reject', code: 'LEASED' })
    expect(await bob.mutate(2, [{ op: 'remove', path: '/doc' }])).toMatchObject({ type: 'reject', code: 'LEASED' })
    expect(await bob.mutate(3, [{ op: 'move', from: '/doc/body', path: '/stolen' }])).toMatchObject({ type: 'reject', code: 'LEASED' })
    expect(await lease(bob, 4, '/doc/title', 1_000)).toMatchObject({ type: 'reject', code: 'LEASED' })
    expect(await release(bob, 5, '/doc')).toMatchObject({ type: 'reject', code: 'NOT_LEASED' })
    expect(store.get()).toStrictEqual(before)
    expect(await bob.mutate(6, [{ op: 'copy', from: '/doc/body', path: '/copied' }, { op: 'replace', path: '/other', value: 1 }])).toMatchObject({ type: 'ack' })
    expect(await alice.mutate(2, [{ op: 'replace', path: '/doc/title', value: 'alice' }])).toMatchObject({ type: 'ack' })
    expect(await release(alice, 3, '/doc')).toMatchObject({ type: 'ack', n: 3 })
    expect(await bob.mutate(7, [{ op: 'replace', path: '/doc/title', value: 'bob' }])).toMatchObject({ type: 'ack' })
    expect(store.get('/doc/title')).toBe('bob')
  })

  it('end when they expire, and expired ones are swept from the bookkeeping', async () => {
    const { store, url } = await serve({ value: { doc: {} } })
    const alice = await RawClient.connect(url, 'client-alice')
    const bob = await RawClient.connect(url, 'client-bob')
    const { expires } = (await lease(alice, 1, '/doc', 30)) as { expires: number }
    while (Date.now() <= expires) await new Promise((r) => setTimeout(r, 10))
    expect(await bob.mutate(1, [{ op: 'add', path: '/doc/x', value: 1 }])).toMatchObject({ type: 'ack' })
    expect(await lease(bob, 2, '/other', 60_000)).toMatchObject({ type: 'ack' })
    expect(Object.keys(store.get('/$sync/leases' as never) as object)).toEqual(['/other'])
  })

  it('are capped at maxLeaseTtl', async () => {
    const { url } = await serve({ value: { doc: {} }, limits: { maxLeaseTtl: 1_000 } })
    const alice = await RawClient.connect(url, 'client-alice')
    const asked = Date.now()
    const { expires } = (await lease(alice, 1, '/doc', 3_600_000)) as { expires: number }
    expect(expires - asked).toBeLessThanOrEqual(1_000 + (Date.now() - asked))
  })

  it('survive a restart of a durable server', async () => {
    const dir = tempDir()
    let store = await openStore(dir, { value: { doc: { title: 't' } }, sync: 'always' })
    let server = createSyncServer({ store })
    let { port } = await server.listen({ port: 0 })
    const alice = await RawClient.connect(`ws://127.0.0.1:${port}`, 'client-alice')
    expect(await lease(alice, 1, '/doc', 60_000)).toMatchObject({ type: 'ack' })
    await server.close()
    await store.close()
    store = await openStore(dir, { sync: 'always' })
    server = createSyncServer({ store })
    ;({ port } = await server.listen({ port: 0 }))
    try {
      const bob = await RawClient.connect(`ws://127.0.0.1:${port}`, 'client-bob')
      expect(await bob.mutate(1, [{ op: 'replace', path: '/doc/title', value: 'bob' }])).toMatchObject({ type: 'reject', code: 'LEASED' })
      const alice2 = await RawClient.connect(`ws://127.0.0.1:${port}`, 'client-alice')
      expect(await alice2.mutate(2, [{ op: 'replace', path: '/doc/title', value: 'alice' }])).toMatchObject({ type: 'ack' })
    } finally {
      await server.close()
      await store.close()
    }
  })

  it('need the write rule (or authorize.lease) to allow the subtree', async () => {
    const { url } = await serve({ value: { doc: {}, mine: {} }, authorize: { write: (_p, op) => op.path.startsWith('/mine') } })
    const c = await RawClient.connect(url, 'client-alice')
    expect(await lease(c, 1, '/doc', 1_000)).toMatchObject({ type: 'reject', code: 'FORBIDDEN' })
    expect(await lease(c, 2, '/mine', 1_000)).toMatchObject({ type: 'ack' })
  })
})
