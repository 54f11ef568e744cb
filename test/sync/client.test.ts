import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createUndoManager } from 'patchdb'
import { connectStore, SyncError, type SyncedStore } from 'patchdb/client'
import { LIMITS, scriptedServer, welcome, type Peer, type ScriptedServer } from './scripted-server'

// The client against a server that the test scripts frame by frame (real WebSockets on
// loopback): what it sends, and what it does with each answer.

let server: ScriptedServer
const clients: SyncedStore<any>[] = []
const fast = { backoff: { base: 5, max: 20 } }

function connect(options: Parameters<typeof connectStore>[1] = {}) {
  const client = connectStore<any>(server.url, { ...fast, ...options })
  clients.push(client)
  return client
}

/** Connects a client and brings it online at revision `id` with `value` (and the server's `limits`). */
async function online(
  value: unknown,
  options: Parameters<typeof connectStore>[1] = {},
  id = 1,
  limits: Partial<typeof LIMITS> = {},
): Promise<{ client: SyncedStore<any>; peer: Peer; hello: Record<string, unknown> }> {
  const client = connect(options)
  const peer = await server.connection()
  const hello = await peer.next()
  peer.send(welcome({ id, limits }))
  peer.send({ type: 'dump', id, value })
  await client.ready
  return { client, peer, hello }
}

beforeEach(async () => {
  server = await scriptedServer()
})
afterEach(async () => {
  for (const c of clients.splice(0)) c.close()
  await server.close()
})

describe('connecting', () => {
  it('says hello with the protocol version and a random client id, and is ready once the dump is applied', async () => {
    const { client, peer, hello } = await online({ todos: ['a'] }, { token: 't0k' })
    expect(hello).toEqual({ type: 'hello', v: 1, client: client.clientId })
    expect(client.clientId).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(peer.token).toBe('t0k')
    expect(client.store.get()).toEqual({ todos: ['a'] })
    expect(client.status).toMatchObject({ status: 'online', pending: 0, error: null, revision: 1 })
  })

  it('a client store refuses update(): server revisions come from its connection only', async () => {
    const { client } = await online({ a: 1 })
    expect(() => client.store.update({ id: 2, patch: [] })).toThrow(/connection only/)
  })
})

describe('optimistic writes', () => {
  it('apply, set and transact show at once and go out as mutations numbered 1, 2, 3', async () => {
    const { client, peer } = await online({ n: 0, list: [] })
    client.store.set('/n', 1)
    client.store.apply([{ op: 'add', path: '/list/-', value: 'x' }])
    client.store.transact((tx) => {
      tx.set('/n', 2)
      tx.apply([{ op: 'add', path: '/list/-', value: 'y' }])
    })
    expect(client.store.get()).toEqual({ n: 2, list: ['x', 'y'] })
    expect(await peer.nextOf('mutation')).toEqual({ type: 'mutation', n: 1, patch: [{ op: 'replace', path: '/n', value: 1 }] })
    expect(await peer.nextOf('mutation')).toMatchObject({ n: 2, patch: [{ op: 'add', path: '/list/-', value: 'x' }] })
    expect(await peer.nextOf('mutation')).toMatchObject({ n: 3 })
    await expect.poll(() => client.status.pending).toBe(3)
  })

  it('an ack then its revision settles the write: synced() resolves and nothing is applied twice', async () => {
    const { client, peer } = await online({ list: [] })
    client.store.apply([{ op: 'add', path: '/list/-', value: 'x' }])
    const synced = client.synced()
    await peer.nextOf('mutation')
    peer.send({ type: 'ack', n: 1, id: 2 })
    peer.send({ type: 'revision', id: 2, patch: [{ op: 'add', path: '/list/0', value: 'x' }] })
    await synced
    expect(client.store.get()).toEqual({ list: ['x'] })
    expect(client.status).toMatchObject({ pending: 0, revision: 2 })
  })

  it("another client's revision arriving before the ack keeps the pending write on top of it", async () => {
    const { client, peer } = await online({ list: ['a'] })
    client.store.apply([{ op: 'add', path: '/list/-', value: 'mine' }])
    await peer.nextOf('mutation')
    peer.send({ type: 'revision', id: 2, patch: [{ op: 'add', path: '/list/0', value: 'theirs' }] })
    await expect.poll(() => client.status.revision).toBe(2)
    expect(client.store.get()).toEqual({ list: ['theirs', 'a', 'mine'] })
    peer.send({ type: 'ack', n: 1, id: 3 })
    peer.send({ type: 'revision', id: 3, patch: [{ op: 'add', path: '/list/2', value: 'mine' }] })
    await client.synced()
    expect(client.store.get()).toEqual({ list: ['theirs', 'a', 'mine'] })
  })

  it('a refused write is rolled back whole, later writes stay, synced() rejects with the code and "rejected" is emitted', async () => {
    const { client, peer } = await online({ a: 0, b: 0 })
    const seen: SyncError[] = []
    client.on('rejected', (e) => seen.push(e))
    client.store.apply([
      { op: 'replace', path: '/a', value: 1 },
      { op: 'add', path: '/c', value: 1 },
    ])
    client.store.set('/b', 2)
    const synced = client.synced()
    await peer.nextOf('mutation')
    peer.send({ type: 'reject', n: 1, code: 'FORBIDDEN', message: 'no' })
    const error = await synced.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SyncError)
    expect(error).toMatchObject({ code: 'FORBIDDEN', mutation: 1 })
    expect(seen.map((e) => e.code)).toEqual(['FORBIDDEN'])
    expect(client.store.get()).toEqual({ a: 0, b: 2 })
    expect(client.status.pending).toBe(1)
  })

  it('writes past maxPending are refused with QUEUE_FULL, and the store keeps its value', async () => {
    const { client } = await online({ n: 0 }, { maxPending: 2 })
    client.store.set('/n', 1)
    client.store.set('/n', 2)
    expect(() => client.store.set('/n', 3)).toThrow(expect.objectContaining({ code: 'QUEUE_FULL' }))
    expect(client.store.get('/n')).toBe(2)
  })

  it("a write over the server's maxOps is refused before it is applied", async () => {
    const { client } = await online({}, {}, 1, { maxOps: 2 })
    const three = [0, 1, 2].map((i) => ({ op: 'add' as const, path: `/k${i}`, value: i }))
    expect(() => client.store.apply(three)).toThrow(expect.objectContaining({ code: 'TOO_MANY_OPS' }))
    expect(client.store.get()).toEqual({})
  })
})

describe('pending writes rebased on server revisions', () => {
  /** A client that went offline at revision 1 with `value`, wrote `writes`, and is back: returns the new connection after its welcome. */
  async function backAfter(value: unknown, writes: (client: SyncedStore<any>) => void) {
    const { client, peer } = await online(value)
    peer.socket.terminate()
    await expect.poll(() => client.status.status).not.toBe('online')
    writes(client)
    const again = await server.connection()
    await again.next()
    again.send(welcome({ id: 2 }))
    return { client, again }
  }

  it('an edit of row 2 made offline follows its row when the server inserted a row above it', async () => {
    const { client, again } = await backAfter({ rows: ['a', 'b', 'c'] }, (c) => c.store.set('/rows/2', 'C'))
    again.send({ type: 'revision', id: 2, patch: [{ op: 'add', path: '/rows/0', value: 'new' }] })
    expect(await again.nextOf('mutation')).toEqual({ type: 'mutation', n: 1, patch: [{ op: 'replace', path: '/rows/3', value: 'C' }] })
    expect(client.store.get()).toEqual({ rows: ['new', 'a', 'b', 'C'] })
  })

  it('an edit under a row the server removed is dropped whole, reported as CONFLICT, and the writes after it stay', async () => {
    const seen: string[] = []
    const { client, again } = await backAfter({ rows: [{ t: 'a', done: false }, { t: 'b', done: false }], n: 0 }, (c) => {
      c.on('rejected', (e) => seen.push(`${e.code} ${e.mutation}`))
      c.store.apply([
        { op: 'replace', path: '/rows/1/done', value: true },
        { op: 'replace', path: '/rows/1/t', value: 'B' },
      ])
      c.store.set('/n', 1)
    })
    const synced = client.synced().catch((e: unknown) => e)
    again.send({ type: 'revision', id: 2, patch: [{ op: 'remove', path: '/rows/1' }] })
    expect(await again.nextOf('mutation')).toEqual({ type: 'mutation', n: 2, patch: [{ op: 'replace', path: '/n', value: 1 }] })
    expect(await synced).toMatchObject({ code: 'CONFLICT', mutation: 1 })
    expect(seen).toEqual(['CONFLICT 1'])
    expect(client.store.get()).toEqual({ rows: [{ t: 'a', done: false }], n: 1 })
  })

  it('two writes of the same value: the one not yet sent is kept as written when no row moved, so the later write wins', async () => {
    const { client, again } = await backAfter({ title: 'old' }, (c) => c.store.set('/title', 'mine'))
    again.send({ type: 'revision', id: 2, patch: [{ op: 'replace', path: '/title', value: 'theirs' }] })
    expect(await again.nextOf('mutation')).toEqual({ type: 'mutation', n: 1, patch: [{ op: 'replace', path: '/title', value: 'mine' }] })
    expect(client.store.get()).toEqual({ title: 'mine' })
  })

  it('a sent write that no longer applies is hidden, not reported, until the server answers', async () => {
    const { client, peer } = await online({ rows: [{ t: 'a' }] })
    const seen: string[] = []
    client.on('rejected', (e) => seen.push(e.code))
    client.store.set('/rows/0/t', 'A')
    await peer.nextOf('mutation')
    peer.send({ type: 'revision', id: 2, patch: [{ op: 'remove', path: '/rows/0' }] })
    await expect.poll(() => client.store.get()).toEqual({ rows: [] })
    expect(client.status.pending).toBe(1)
    expect(seen).toEqual([])
    peer.send({ type: 'reject', n: 1, code: 'PATH_NOT_FOUND', message: 'gone' })
    await expect.poll(() => seen).toEqual(['PATH_NOT_FOUND'])
    expect(client.status.pending).toBe(0)
  })

  it('a watcher hears a server revision under a pending write once, with the value it now shows', async () => {
    const { client, peer } = await online({ a: 1, b: 1 })
    client.store.set('/a', 2)
    await peer.nextOf('mutation')
    const heard: unknown[] = []
    client.store.watch('/b', (v) => heard.push(v))
    const heardA: unknown[] = []
    client.store.watch('/a', (v) => heardA.push(v))
    peer.send({ type: 'revision', id: 2, patch: [{ op: 'replace', path: '/b', value: 5 }] })
    await expect.poll(() => heard).toEqual([5])
    expect(heardA).toEqual([])
    expect(client.store.get()).toEqual({ a: 2, b: 5 })
  })
})

describe('with an undo manager', () => {
  it("record: client.isRemote keeps others' changes out of undo: undo reverts this client's write only, and sends the undo", async () => {
    const { client, peer } = await online({ a: 0, b: 0 })
    const undo = createUndoManager(client.store, { record: (r) => !client.isRemote(r) })
    client.store.set('/a', 1)
    expect((await peer.nextOf('mutation')).n).toBe(1)
    peer.send({ type: 'revision', id: 2, patch: [{ op: 'replace', path: '/b', value: 2 }] })
    await expect.poll(() => client.store.get('/b')).toBe(2)
    expect(undo.undo().status).toBe('applied')
    expect(client.store.get()).toEqual({ a: 0, b: 2 })
    expect(await peer.nextOf('mutation')).toEqual({ type: 'mutation', n: 2, patch: [{ op: 'replace', path: '/a', value: 0 }] })
    expect(undo.canUndo()).toBe(false)
  })
})

describe("the server's limits", () => {
  it('a write over the server\'s frame limit is refused with TOO_BIG before it applies (the server would close on it, again after each reconnect)', async () => {
    const { client } = await online({}, {}, 1, { maxFrame: 1000 })
    expect(() => client.store.set('/big' as never, 'x'.repeat(2000) as never)).toThrow(expect.objectContaining({ code: 'TOO_BIG' }))
    expect(client.store.get()).toEqual({})
  })

  it('a write made offline that the server, back with a lower maxOps, would refuse is dropped and reported, not sent', async () => {
    const { client, peer } = await online({})
    peer.socket.terminate()
    await expect.poll(() => client.status.status).not.toBe('online')
    client.store.apply([0, 1, 2].map((i) => ({ op: 'add' as const, path: `/k${i}`, value: i })))
    client.store.set('/small' as never, 1 as never)
    const synced = client.synced().catch((e: unknown) => e)
    const again = await server.connection()
    await again.next()
    again.send(welcome({ id: 1, limits: { maxOps: 2 } }))
    expect(await again.nextOf('mutation')).toEqual({ type: 'mutation', n: 2, patch: [{ op: 'add', path: '/small', value: 1 }] })
    expect(await synced).toMatchObject({ code: 'TOO_MANY_OPS', mutation: 1 })
    expect(client.store.get()).toEqual({ small: 1 })
  })
})

describe('a server close that retrying cannot help', () => {
  it.each([
    [4007, 'REVOKED'],
    [4001, 'VERSION'],
  ] as const)('close %i (%s) stops the client: no reconnect, status closed with a SyncError, waiting writes rejected', async (code, name) => {
    const { client, peer } = await online({ n: 0 })
    client.store.set('/n', 1)
    const waiting = client.synced()
    peer.socket.close(code, 'access ended')
    await expect(waiting).rejects.toMatchObject({ code: 'CLOSED' })
    expect(client.status).toMatchObject({ status: 'closed', error: { name: 'SyncError', code: name } })
    // Backoff is 5-20 ms here: a client that retried would have connected many times over.
    const next = server.connection().then(() => 'reconnected')
    expect(await Promise.race([next, new Promise((resolve) => setTimeout(() => resolve('none'), 300))])).toBe('none')
  })

  it('a server close for any other reason (1011) reconnects', async () => {
    const { peer } = await online({ n: 0 })
    peer.socket.close(1011, 'oops')
    expect((await (await server.connection()).next()).type).toBe('hello')
  })
})

describe('grants', () => {
  it('when the grants changed since the last connection, the client reconnects at once without resume, for a dump', async () => {
    const { client, peer } = await online({ a: 1 })
    peer.socket.close(1001, 'restart')
    const again = await server.connection()
    expect((await again.next()).resume).toEqual({ server: 'S1', id: 1 })
    again.send(welcome({ id: 1, grants: ['/a'] }))
    const third = await server.connection()
    expect(await third.next()).toEqual({ type: 'hello', v: 1, client: client.clientId })
    third.send(welcome({ id: 1, grants: ['/a'] }))
    third.send({ type: 'dump', id: 1, value: { a: 1 } })
    await expect.poll(() => client.status.status).toBe('online')
    // Next time the same grants resume as usual.
    third.socket.close(1001, 'restart')
    expect((await (await server.connection()).next()).resume).toEqual({ server: 'S1', id: 1 })
  })
})

describe('structural sharing', () => {
  it('a server revision leaves every untouched subtree of the store the same object, with and without pending writes', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: i, t: `row ${i}` }))
    const { client, peer } = await online({ rows, other: { x: 1 } })
    const row0 = client.store.get('/rows/0')
    const other = client.store.get('/other')
    peer.send({ type: 'revision', id: 2, patch: [{ op: 'replace', path: '/rows/7/t', value: 'seven' }] })
    await expect.poll(() => client.store.get('/rows/7/t')).toBe('seven')
    expect(client.store.get('/rows/0')).toBe(row0)
    expect(client.store.get('/other')).toBe(other)
    client.store.set('/rows/3/t', 'mine')
    await peer.nextOf('mutation')
    peer.send({ type: 'revision', id: 3, patch: [{ op: 'replace', path: '/rows/9/t', value: 'nine' }] })
    await expect.poll(() => client.store.get('/rows/9/t')).toBe('nine')
    expect(client.store.get('/rows/0')).toBe(row0)
    expect(client.store.get('/other')).toBe(other)
    expect(client.store.get('/rows/3/t')).toBe('mine')
  })
})

describe('ordered revisions', () => {
  it('revisions that arrive out of order are held and applied in order', async () => {
    const { client, peer } = await online({ list: [] })
    peer.send({ type: 'revision', id: 3, patch: [{ op: 'add', path: '/list/-', value: 'second' }] })
    peer.send({ type: 'revision', id: 2, patch: [{ op: 'add', path: '/list/-', value: 'first' }] })
    await expect.poll(() => client.status.revision).toBe(3)
    expect(client.store.get()).toEqual({ list: ['first', 'second'] })
  })

  it('a gap that does not fill asks for a resend, and nothing past the gap is applied meanwhile', async () => {
    const { client, peer } = await online({ n: 1 }, { gapTimeout: 20 })
    peer.send({ type: 'revision', id: 3, patch: [{ op: 'replace', path: '/n', value: 3 }] })
    expect(await peer.nextOf('resend')).toEqual({ type: 'resend', from: 2 })
    expect(client.store.get()).toEqual({ n: 1 })
    expect(client.status.revision).toBe(1)
    peer.send({ type: 'revision', id: 2, patch: [{ op: 'replace', path: '/n', value: 2 }] })
    await expect.poll(() => client.store.get('/n')).toBe(3)
  })

  it("a heartbeat naming a revision the client lacks asks for a resend at once", async () => {
    const { peer } = await online({ n: 1 }, { gapTimeout: 60_000 })
    peer.send({ type: 'heartbeat', id: 4 })
    expect(await peer.nextOf('resend')).toEqual({ type: 'resend', from: 2 })
  })

  it('duplicate revisions (a resend overlapping what arrived) are ignored', async () => {
    const { client, peer } = await online({ list: [] })
    const r2 = { type: 'revision', id: 2, patch: [{ op: 'add', path: '/list/-', value: 'x' }] }
    peer.send(r2)
    peer.send(r2)
    peer.send({ type: 'revision', id: 3, patch: [{ op: 'add', path: '/list/-', value: 'y' }] })
    await expect.poll(() => client.status.revision).toBe(3)
    expect(client.store.get()).toEqual({ list: ['x', 'y'] })
  })

  it('a dump in the middle of the stream replaces the view; pending writes are rebased onto it', async () => {
    const { client, peer } = await online({ list: ['a'], n: 0 })
    client.store.set('/n', 5)
    await peer.nextOf('mutation')
    peer.send({ type: 'dump', id: 9, value: { list: ['a', 'b', 'c'], n: 0 } })
    await expect.poll(() => client.status.revision).toBe(9)
    expect(client.store.get()).toEqual({ list: ['a', 'b', 'c'], n: 5 })
  })
})

describe('reconnecting', () => {
  it('resumes with the server id and its revision, and gets the revisions since', async () => {
    const { client, peer } = await online({ n: 1 }, {}, 7)
    peer.socket.close(1001, 'restart')
    const again = await server.connection()
    expect(await again.next()).toEqual({ type: 'hello', v: 1, client: client.clientId, resume: { server: 'S1', id: 7 } })
    expect(client.status.status).toBe('connecting')
    again.send(welcome({ id: 8 }))
    again.send({ type: 'revision', id: 8, patch: [{ op: 'replace', path: '/n', value: 2 }] })
    await expect.poll(() => client.status.status).toBe('online')
    expect(client.store.get()).toEqual({ n: 2 })
  })

  it('a changed server id means a dump: the new history replaces the old one, never mixed with it', async () => {
    const { client, peer } = await online({ old: true, n: 1 }, {}, 7)
    peer.socket.close(1001, 'reset')
    const again = await server.connection()
    await again.next()
    again.send(welcome({ server: 'S2', id: 2 }))
    // A revision of the new server before its dump cannot be placed: the client refuses it.
    again.send({ type: 'revision', id: 8, patch: [{ op: 'replace', path: '/n', value: 99 }] })
    const third = await server.connection()
    expect(await third.next()).toEqual({ type: 'hello', v: 1, client: client.clientId, resume: { server: 'S1', id: 7 } })
    expect(client.store.get()).toEqual({ old: true, n: 1 })
    third.send(welcome({ server: 'S2', id: 2 }))
    third.send({ type: 'dump', id: 2, value: { fresh: 1 } })
    await expect.poll(() => client.status.status).toBe('online')
    expect(client.store.get()).toEqual({ fresh: 1 })
    expect(client.status.revision).toBe(2)
  })

  it('a mutation not acknowledged before the connection dropped is sent again with the same number', async () => {
    const { client, peer } = await online({ n: 0 })
    client.store.set('/n', 1)
    await peer.nextOf('mutation')
    peer.socket.terminate()
    const again = await server.connection()
    expect((await again.next()).resume).toEqual({ server: 'S1', id: 1 })
    again.send(welcome({ id: 1, applied: 0 }))
    expect(await again.nextOf('mutation')).toEqual({ type: 'mutation', n: 1, patch: [{ op: 'replace', path: '/n', value: 1 }] })
    again.send({ type: 'ack', n: 1, id: 2 })
    again.send({ type: 'revision', id: 2, patch: [{ op: 'replace', path: '/n', value: 1 }] })
    await client.synced()
    expect(client.store.get()).toEqual({ n: 1 })
  })

  it("a mutation the server applied before the drop is not sent again: welcome.applied says it is done", async () => {
    const { client, peer } = await online({ n: 0 })
    client.store.set('/n', 1)
    client.store.set('/n', 2)
    await peer.nextOf('mutation')
    await peer.nextOf('mutation')
    peer.socket.terminate()
    const again = await server.connection()
    await again.next()
    // The server applied mutation 1 (revision 2) but never acked it; 2 it never got.
    again.send(welcome({ id: 2, applied: 1 }))
    again.send({ type: 'revision', id: 2, patch: [{ op: 'replace', path: '/n', value: 1 }] })
    expect(await again.nextOf('mutation')).toEqual({ type: 'mutation', n: 2, patch: [{ op: 'replace', path: '/n', value: 2 }] })
    expect(client.status.pending).toBe(1)
    expect(client.store.get()).toEqual({ n: 2 })
  })

  it('requests made while offline wait and go out after the catch-up, in number order', async () => {
    const { client, peer } = await online({ n: 0 })
    peer.socket.terminate()
    await expect.poll(() => client.status.status).not.toBe('online')
    client.store.set('/n', 1)
    const again = await server.connection()
    await again.next()
    again.send(welcome({ id: 2 }))
    expect(again.queued).toEqual([])
    again.send({ type: 'revision', id: 2, patch: [{ op: 'add', path: '/other', value: true }] })
    expect(await again.nextOf('mutation')).toMatchObject({ n: 1 })
    expect(client.store.get()).toEqual({ n: 1, other: true })
  })

  it('silence for two heartbeat intervals drops the socket and reconnects', async () => {
    const { client, peer } = await online({}, {}, 1, { heartbeat: 50 })
    const again = await server.connection()
    expect((await again.next()).type).toBe('hello')
    expect(await peer.closed).toBe(4006)
  })

  it('close() stops reconnecting and rejects what waited with CLOSED', async () => {
    const { client, peer } = await online({ n: 0 })
    client.store.set('/n', 1)
    const synced = client.synced()
    client.close()
    await expect(synced).rejects.toMatchObject({ code: 'CLOSED' })
    expect(await peer.closed).toBe(1000)
    expect(client.status.status).toBe('closed')
  })
})

describe('hostile server frames are refused without touching the store', () => {
  const cases: [string, (peer: Peer) => void][] = [
    ['not JSON', (p) => p.sendRaw('{"type":')],
    ['a binary (CBOR) frame to a client that speaks JSON', (p) => p.sendRaw(Buffer.from([0xa1, 0x64, 0x74, 0x79, 0x70, 0x65, 0x63, 0x61, 0x63, 0x6b]))],
    ['an unknown type', (p) => p.send({ type: 'takeover', id: 2 })],
    ['a revision with a fractional id', (p) => p.send({ type: 'revision', id: 2.5, patch: [] })],
    ['a revision whose path reaches a prototype', (p) => p.send({ type: 'revision', id: 2, patch: [{ op: 'add', path: '/__proto__/x', value: 1 }] })],
    ['a revision that does not apply to the client\'s document', (p) => p.send({ type: 'revision', id: 2, patch: [{ op: 'remove', path: '/missing' }] })],
    ['a second welcome', (p) => p.send(welcome({ id: 1 }))],
    ['a frame over maxFrame', (p) => p.send({ type: 'revision', id: 2, patch: [{ op: 'add', path: '/big', value: 'x'.repeat(5000) }] })],
    ['a dump nested past the depth limit', (p) => p.send({ type: 'dump', id: 3, value: JSON.parse('['.repeat(1200) + ']'.repeat(1200)) })],
  ]
  for (const [what, send] of cases) {
    it(`${what}: the store keeps its value, the client reports it and reconnects`, async () => {
      const { client, peer } = await online({ keep: ['me'] }, { maxFrame: 4096 })
      const before = client.store.get()
      send(peer)
      const again = await server.connection()
      const hello = await again.next()
      expect(client.store.get()).toBe(before)
      expect(client.status.revision).toBe(1)
      expect(client.status.error).toBeInstanceOf(Error)
      expect(await peer.closed).toBeGreaterThanOrEqual(4000)
      // Resumed (the client's base is intact), or asked for a dump when the stream did not fit it.
      expect(hello.type).toBe('hello')
    })
  }

  it("after a revision that does not apply to the client's base, the next hello asks for a dump instead of resuming", async () => {
    const { peer } = await online({ a: 1 })
    peer.send({ type: 'revision', id: 2, patch: [{ op: 'remove', path: '/missing' }] })
    const again = await server.connection()
    expect(await again.next()).not.toHaveProperty('resume')
  })

  it('forged revision ids far ahead are not kept, not applied, and do not grow memory', async () => {
    const { client, peer } = await online({ n: 0 }, { gapTimeout: 60_000 })
    for (let i = 0; i < 50; i++) peer.send({ type: 'revision', id: 1e12 + i, patch: [{ op: 'replace', path: '/n', value: i }] })
    peer.send({ type: 'revision', id: 2, patch: [{ op: 'replace', path: '/n', value: 'real' }] })
    await expect.poll(() => client.store.get('/n')).toBe('real')
    expect(client.status.revision).toBe(2)
  })
})

describe('leases', () => {
  it('lease() asks with the next number and resolves with the expiry; release() ends it', async () => {
    const { client, peer } = await online({ doc: {} })
    client.store.set('/doc/a', 1)
    const leased = client.lease('/doc', { ttl: 5000 })
    expect(await peer.nextOf('mutation')).toMatchObject({ n: 1 })
    expect(await peer.nextOf('lease')).toEqual({ type: 'lease', n: 2, path: '/doc', ttl: 5000 })
    peer.send({ type: 'ack', n: 2, id: 1, expires: 123456 })
    const grant = await leased
    expect(grant).toMatchObject({ path: '/doc', expires: 123456 })
    const released = grant.release()
    expect(await peer.nextOf('release')).toEqual({ type: 'release', n: 3, path: '/doc' })
    peer.send({ type: 'ack', n: 3, id: 1 })
    await released
  })

  it("a lease another client holds rejects with LEASED", async () => {
    const { client, peer } = await online({ doc: {} })
    const leased = client.lease('/doc', { ttl: 5000 })
    const m = await peer.nextOf('lease')
    peer.send({ type: 'reject', n: m.n, code: 'LEASED', message: 'held by another client' })
    await expect(leased).rejects.toMatchObject({ code: 'LEASED' })
  })
})
