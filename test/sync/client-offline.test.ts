import '../browser/environment'
import { afterEach, describe, expect, it } from 'vitest'
import { openBrowserStore } from 'patchdb/browser'
import { connectStore, type SyncedStore } from 'patchdb/client'
import { createStore, type JsonValue } from 'patchdb'
import { freshName } from '../browser/environment'
import { scriptedServer, welcome, type ScriptedServer } from './scripted-server'

// Offline: with a patchdb/browser store (IndexedDB, here fake-indexeddb) as the client's
// local store, writes made offline survive a reload and are sent on reconnect.

const servers: ScriptedServer[] = []
const clients: SyncedStore<any>[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.close()
  for (const s of servers.splice(0)) await s.close()
})
const fast = { backoff: { base: 5, max: 20 } }

async function start() {
  const s = await scriptedServer()
  servers.push(s)
  return s
}

describe('offline writes with patchdb/browser as the local store', () => {
  it('pending writes survive a reload and are sent on reconnect with their numbers, after the catch-up', async () => {
    const name = freshName('sync-offline')
    const first = await start()
    const local = await openBrowserStore<JsonValue>(name)
    const client = connectStore<{ todos: string[] }>(first.url, { ...fast, local })
    clients.push(client)
    const peer = await first.connection()
    const hello = await peer.next()
    peer.send(welcome({ id: 3 }))
    peer.send({ type: 'dump', id: 3, value: { todos: ['a'] } })
    await client.ready
    await first.close() // the network goes away
    await expect.poll(() => client.status.status).toBe('offline')
    client.store.apply([{ op: 'add', path: '/todos/-', value: 'offline 1' }])
    client.store.apply([{ op: 'add', path: '/todos/-', value: 'offline 2' }])
    await local.flush()
    client.close()
    await local.close()

    // The reload: a new page opens the same database and connects (the server is back).
    const second = await start()
    const reopened = await openBrowserStore<JsonValue>(name)
    const again = connectStore<{ todos: string[] }>(second.url, { ...fast, local: reopened })
    clients.push(again)
    expect(again.clientId).toBe(hello.client)
    expect(again.store.get()).toEqual({ todos: ['a', 'offline 1', 'offline 2'] })
    expect(again.status.pending).toBe(2)
    const peer2 = await second.connection()
    expect(await peer2.next()).toEqual({ type: 'hello', v: 1, client: hello.client, resume: { server: 'S1', id: 3 } })
    peer2.send(welcome({ id: 4 }))
    // Someone else inserted at the top meanwhile: the offline writes land after it.
    peer2.send({ type: 'revision', id: 4, patch: [{ op: 'add', path: '/todos/0', value: 'theirs' }] })
    // Rebased onto it: the append made at index 1 is sent at index 2.
    expect(await peer2.nextOf('mutation')).toEqual({ type: 'mutation', n: 1, patch: [{ op: 'add', path: '/todos/2', value: 'offline 1' }] })
    expect(await peer2.nextOf('mutation')).toEqual({ type: 'mutation', n: 2, patch: [{ op: 'add', path: '/todos/3', value: 'offline 2' }] })
    expect(again.store.get()).toEqual({ todos: ['theirs', 'a', 'offline 1', 'offline 2'] })
    peer2.send({ type: 'ack', n: 1, id: 5 })
    peer2.send({ type: 'revision', id: 5, patch: [{ op: 'add', path: '/todos/2', value: 'offline 1' }] })
    peer2.send({ type: 'ack', n: 2, id: 6 })
    peer2.send({ type: 'revision', id: 6, patch: [{ op: 'add', path: '/todos/3', value: 'offline 2' }] })
    await again.synced()
    await reopened.flush()
    // What the local store keeps: the server's document and revision, nothing pending.
    expect(reopened.get()).toMatchObject({ server: 'S1', revision: 6, base: { todos: ['theirs', 'a', 'offline 1', 'offline 2'] }, pending: [] })
    await reopened.close()
  })

  it('a damaged sync state in the local store is reported and the client starts afresh, never half-read', async () => {
    const first = await start()
    const local = createStore<JsonValue>({ value: { clientId: 'x', revision: -1, pending: 'no' } })
    const client = connectStore(first.url, { ...fast, local })
    clients.push(client)
    expect(client.status.error?.message).toMatch(/not usable/)
    expect(client.store.get()).toEqual({})
    const hello = await (await first.connection()).next()
    expect(hello).not.toHaveProperty('resume')
    expect(local.get()).toMatchObject({ clientId: client.clientId, revision: 0, pending: [] })
  })
})
