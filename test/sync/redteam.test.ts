import { describe, expect, it } from 'vitest'
import { MAX_DEPTH, type JsonValue } from 'patchdb'
import { openStore } from 'patchdb/node'
import { CLOSE, createSyncServer } from 'patchdb/server'
import { connectStore } from 'patchdb/client'
import { WebSocket } from 'ws'
import { RawClient } from './raw-client'
import { scriptedServer, welcome } from './scripted-server'
import { serve, tempDir } from './serve'

type Principal = { user: string }
const byToken = ({ token }: { token: string | null }) => (token ? { user: token } : null)

/** A document with a secret that only `admin` reads: everyone else reads /public only. */
function secretServer(write: (p: Principal, op: any) => boolean = () => true) {
  return serve<Principal>({
    value: { public: { a: 1, list: [] }, secret: { pin: 1234 } },
    authenticate: byToken,
    authorize: { read: (p) => (p.user === 'admin' ? [''] : ['/public']), write },
  })
}

const nested = (depth: number): JsonValue => {
  let v: JsonValue = 0
  for (let i = 0; i < depth; i++) v = [v]
  return v
}

describe('red team: a malicious client', () => {
  it('a forged client id cannot take over another principal\'s exactly-once record', async () => {
    const { url, store } = await serve<Principal>({ value: { list: [] }, authenticate: byToken })
    const alice = await RawClient.connect(url, 'alice-client-0001', { token: 'alice' })
    expect(await alice.mutate(1, [{ op: 'add', path: '/list/-', value: 'a1' }])).toMatchObject({ type: 'ack' })
    const mallory = await RawClient.open(url, { token: 'mallory' })
    mallory.send({ type: 'hello', v: 1, client: 'alice-client-0001' })
    expect(await mallory.closed).toMatchObject({ code: CLOSE.REVOKED })
    // Alice was not pushed off, and her next numbers still apply.
    expect(await alice.mutate(2, [{ op: 'add', path: '/list/-', value: 'a2' }])).toMatchObject({ type: 'ack' })
    alice.close()
    await alice.closed
    const again = await RawClient.connect(url, 'alice-client-0001', { token: 'alice' })
    expect(await again.mutate(3, [{ op: 'add', path: '/list/-', value: 'a3' }])).toMatchObject({ type: 'ack' })
    expect(store.get('/list')).toEqual(['a1', 'a2', 'a3'])
  })

  it('a principal that JSON cannot hold (a cycle) still connects and writes with the default identity', async () => {
    const cyclic: Record<string, unknown> = { user: 'c' }
    cyclic.self = cyclic
    const { url, store } = await serve({ value: { n: 0 }, authenticate: () => cyclic })
    const c = await RawClient.connect(url, 'cyclic-0001')
    expect(await c.mutate(1, [{ op: 'replace', path: '/n', value: 1 }])).toMatchObject({ type: 'ack' })
    expect(store.get('/n')).toBe(1)
  })

  it('a replayed or lower mutation number is never applied twice', async () => {
    const { url, store } = await serve({ value: { list: [] } })
    const c = await RawClient.connect(url, 'replayer-01')
    const first = await c.mutate(5, [{ op: 'add', path: '/list/-', value: 5 }])
    expect(await c.mutate(5, [{ op: 'add', path: '/list/-', value: 5 }])).toEqual(first)
    await c.mutate(3, [{ op: 'add', path: '/list/-', value: 3 }])
    expect(store.get('/list')).toEqual([5])
  })

  it.each([[-1], [1.5], [2 ** 53], ['1'], [null]])('mutation number %s is refused as malformed', async (n) => {
    const { url, store } = await serve({ value: { list: [] } })
    const c = await RawClient.connect(url, 'numbers-01')
    c.send({ type: 'mutation', n, patch: [{ op: 'add', path: '/list/-', value: 1 }] })
    expect((await c.closed).code).toBe(CLOSE.MALFORMED)
    expect(store.get('/list')).toEqual([])
  })

  it('a __proto__ key in a value is refused; constructor stays a plain key for the server and every client', async () => {
    const { url, store } = await serve({ value: {} })
    const writer = await RawClient.connect(url, 'proto-writer')
    const client = connectStore(url, { WebSocket: WebSocket as never })
    await client.ready
    writer.ws.send('{"type":"mutation","n":1,"patch":[{"op":"add","path":"/x","value":{"__proto__":{"polluted":1}}}]}')
    expect(await writer.next((m) => m.type === 'ack' || m.type === 'reject')).toMatchObject({ type: 'reject', code: 'VALUE_INVALID' })
    const seen = new Promise<void>((r) => client.store.watch('/y', () => r()))
    expect(await writer.mutate(2, [{ op: 'add', path: '/y', value: { constructor: { prototype: { polluted: 1 } } } }])).toMatchObject({ type: 'ack' })
    await seen
    expect(({} as any).polluted).toBeUndefined()
    expect(store.get('/x')).toBeUndefined()
    const y = client.store.get('/y') as Record<string, unknown>
    expect(Object.getPrototypeOf(y)).toBe(Object.prototype)
    expect(Object.keys(y)).toEqual(['constructor'])
    client.close()
  })

  it.each(['/__proto__/polluted', '/constructor/prototype/polluted', '/x/__proto__'])('a path through %s is refused', async (path) => {
    const { url } = await serve({ value: { x: {} } })
    const c = await RawClient.connect(url, 'proto-path')
    c.send({ type: 'mutation', n: 1, patch: [{ op: 'add', path, value: 1 }] })
    expect((await c.closed).code).toBe(CLOSE.MALFORMED)
    expect(({} as any).polluted).toBeUndefined()
  })

  it('move or copy from an unreadable path into a readable one is refused and leaks nothing', async () => {
    const { url, store } = await secretServer()
    const c = await RawClient.connect(url, 'reader-0001', { token: 'bob' })
    for (const op of ['move', 'copy'] as const) {
      const answer = await c.mutate(op === 'move' ? 1 : 2, [{ op, from: '/secret/pin', path: '/public/stolen' }])
      expect(answer).toMatchObject({ type: 'reject', code: 'FORBIDDEN' })
      expect(JSON.stringify(answer)).not.toContain('1234')
    }
    expect(store.get('/secret/pin')).toBe(1234)
    expect(c.raw.join('')).not.toContain('1234')
  })

  it('a write the write rule allows by its path but whose from is unreadable is refused', async () => {
    const { url, store } = await secretServer((_p, op) => op.path.startsWith('/public'))
    const c = await RawClient.connect(url, 'reader-0002', { token: 'bob' })
    expect(await c.mutate(1, [{ op: 'move', from: '/secret', path: '/public/s' }])).toMatchObject({ type: 'reject', code: 'FORBIDDEN' })
    expect(store.get('/secret')).toEqual({ pin: 1234 })
  })

  it('a test on an unreadable path answers the same whether it matched or not (no oracle)', async () => {
    const { url } = await secretServer()
    const c = await RawClient.connect(url, 'oracle-0001', { token: 'bob' })
    const hit = await c.mutate(1, [{ op: 'test', path: '/secret/pin', value: 1234 }, { op: 'add', path: '/public/b', value: 1 }])
    const miss = await c.mutate(2, [{ op: 'test', path: '/secret/pin', value: 0 }, { op: 'add', path: '/public/b', value: 1 }])
    const strip = (m: any) => ({ ...m, n: 0 })
    expect(strip(hit)).toEqual(strip(miss))
    // Nor through the root: a test of the whole document.
    const root = await c.mutate(3, [{ op: 'test', path: '', value: {} }])
    expect(root).toMatchObject({ type: 'reject', code: 'FORBIDDEN' })
  })

  it('a lease on the root, on an unreadable subtree or on what the write rule refuses is forbidden', async () => {
    const { url } = await secretServer((p, op) => op.path.startsWith(`/public/${p.user}`))
    const c = await RawClient.connect(url, 'leaser-0001', { token: 'bob' })
    const lease = (n: number, path: string) => {
      const a = c.next((m) => (m.type === 'ack' || m.type === 'reject') && m.n === n)
      c.send({ type: 'lease', n, path, ttl: 1000 })
      return a
    }
    expect(await lease(1, '')).toMatchObject({ type: 'reject', code: 'FORBIDDEN' })
    expect(await lease(2, '/secret')).toMatchObject({ type: 'reject', code: 'FORBIDDEN' })
    expect(await lease(3, '/public/alice')).toMatchObject({ type: 'reject', code: 'FORBIDDEN' })
    expect(await lease(4, '/$sync')).toMatchObject({ type: 'reject', code: 'FORBIDDEN' })
    expect(await lease(5, '/public/bob')).toMatchObject({ type: 'ack' })
  })

  it('document depth is limited for the whole document, whatever op builds it', async () => {
    const { url, store } = await serve({ value: {} })
    const c = await RawClient.connect(url, 'deep-0001')
    expect(await c.mutate(1, [{ op: 'add', path: '/a', value: nested(MAX_DEPTH - 2) }])).toMatchObject({ type: 'ack' })
    const deepPath = '/a' + '/0'.repeat(MAX_DEPTH - 3)
    expect(await c.mutate(2, [{ op: 'replace', path: deepPath, value: [[[1]]] }])).toMatchObject({ type: 'reject', code: 'TOO_DEEP' })
    expect(await c.mutate(3, [{ op: 'copy', from: '/a', path: '/a/0/0' }])).toMatchObject({ type: 'reject', code: 'TOO_DEEP' })
    // A frame nested far past the limit (JSON text) is refused, not a stack overflow.
    c.ws.send(`{"type":"mutation","n":4,"patch":[{"op":"add","path":"/b","value":${'['.repeat(200_000)}${']'.repeat(200_000)}}]}`)
    expect(await c.next((m) => m.type === 'reject' || m.type === 'error')).toMatchObject({ code: expect.stringMatching(/TOO_DEEP|VALUE_INVALID/) })
    expect(store.get('/b')).toBeUndefined()
    const other = await RawClient.connect(url, 'deep-0002')
    const { $sync: _, ...visible } = store.get('') as Record<string, JsonValue>
    expect(other.doc).toEqual(visible)
  })
})

describe('red team: whole-document limits', () => {
  it('the document size is limited for the whole document, not only per frame: small writes and copies cannot build a huge one', async () => {
    const { url, store } = await serve({ value: { chunks: [] }, limits: { maxFrame: 4096, maxDocument: 20_000 } })
    const c = await RawClient.connect(url, 'grower-0001')
    let n = 0
    let answer
    do answer = await c.mutate(++n, [{ op: 'add', path: '/chunks/-', value: 'x'.repeat(2000) }])
    while (answer.type === 'ack' && n < 50)
    expect(answer).toMatchObject({ type: 'reject', code: 'TOO_BIG' })
    expect(n).toBeLessThan(12)
    // Copies cost a few bytes of frame each, and double the document: refused as well.
    expect(await c.mutate(++n, [{ op: 'copy', from: '/chunks', path: '/again' }])).toMatchObject({ type: 'reject', code: 'TOO_BIG' })
    expect(JSON.stringify(store.get('')).length).toBeLessThanOrEqual(20_000)
    // A write that shrinks the document still goes through.
    expect(await c.mutate(++n, [{ op: 'remove', path: '/chunks/0' }])).toMatchObject({ type: 'ack' })
  })
})

describe('red team: the size bound counts keys that moves make', () => {
  it('moving small values to long keys cannot grow the document past the limit (each move adds its key)', async () => {
    const { url, store } = await serve({ value: { n: 0 }, limits: { maxFrame: 8192, maxDocument: 20_000 } })
    const c = await RawClient.connect(url, 'renamer-01')
    let n = 0
    let answer
    do {
      answer = await c.mutate(++n, [
        { op: 'add', path: '/v', value: 0 },
        { op: 'move', from: '/v', path: `/${String(n).padStart(3000, 'k')}` },
      ])
    } while (answer.type === 'ack' && n < 20)
    expect(answer).toMatchObject({ type: 'reject', code: 'TOO_BIG' })
    expect(JSON.stringify(store.get('')).length).toBeLessThanOrEqual(20_000)
  })
})

describe('red team: the size bound follows what a patch moved before copying it', () => {
  it('a copy of what an earlier operation of the same patch moved there counts at its full size', async () => {
    const { url, store } = await serve({ value: { big: 'x'.repeat(9000) }, limits: { maxDocument: 20_000 } })
    const c = await RawClient.connect(url, 'mover-0001')
    const patch = [
      { op: 'add', path: '/x', value: {} },
      { op: 'move', from: '/big', path: '/x/in' },
      { op: 'copy', from: '/x', path: '/y' },
      { op: 'copy', from: '/x', path: '/z' },
    ]
    expect(await c.mutate(1, patch)).toMatchObject({ type: 'reject', code: 'TOO_BIG' })
    expect(Object.keys(store.get('') as object).sort()).toEqual(['$sync', 'big'])
    // Well under the limit, the same shape goes through (the bound is only a fast path).
    expect(await c.mutate(2, patch.slice(0, 3))).toMatchObject({ type: 'ack' })
  })
})

describe('red team: the application\'s callbacks throwing', () => {
  it('an exception in authenticate, authorize or identity ends that connection only, with no detail sent, and is reported', async () => {
    const reported: unknown[] = []
    const boom = (where: string) => {
      throw new Error(`secret detail of ${where}`)
    }
    const { url, store } = await serve<Principal>({
      value: { n: 0 },
      onError: (e) => reported.push(e),
      authenticate: ({ token }) => (token === 'auth' ? boom('authenticate') : token ? { user: token } : null),
      identity: (p) => (p.user === 'identity' ? boom('identity') : p.user),
      authorize: { read: (p) => (p.user === 'read' ? boom('read') : ['']), write: (p) => (p.user === 'write' ? boom('write') : true) },
    })
    const bystander = await RawClient.connect(url, 'bystander-1', { token: 'ok' })
    await expect(RawClient.open(url, { token: 'auth' })).rejects.toThrow(/401/)
    for (const token of ['read', 'identity']) {
      const c = await RawClient.open(url, { token })
      c.send({ type: 'hello', v: 1, client: `client-${token}` })
      const closed = await c.closed
      expect(closed.code).toBe(CLOSE.SERVER_ERROR)
      expect(c.raw.join('') + closed.reason).not.toContain('secret')
    }
    const w = await RawClient.connect(url, 'client-write', { token: 'write' })
    const refused = await w.mutate(1, [{ op: 'replace', path: '/n', value: 1 }])
    expect(refused).toMatchObject({ type: 'reject', code: 'FORBIDDEN' })
    expect(JSON.stringify(refused)).not.toContain('secret')
    expect(reported.map((e) => (e as Error).message).sort()).toEqual(['secret detail of authenticate', 'secret detail of identity', 'secret detail of read', 'secret detail of write'])
    expect(store.get('/n')).toBe(0)
    expect(await bystander.mutate(1, [{ op: 'replace', path: '/n', value: 2 }])).toMatchObject({ type: 'ack' })
  })
})

describe('red team: grants from the application', () => {
  it.each(['/__proto__', '/constructor/name', '/a/prototype'])('a grant through %s is refused at hello (1011, reported), never sent in a welcome', async (grant) => {
    const reported: unknown[] = []
    const { url } = await serve({ value: { a: {} }, onError: (e) => reported.push(e), authorize: { read: () => ['/a', grant] } })
    const c = await RawClient.open(url)
    c.send({ type: 'hello', v: 1, client: 'client-grant' })
    expect((await c.closed).code).toBe(CLOSE.SERVER_ERROR)
    expect(c.messages.map((m) => m.type)).toEqual(['error'])
    expect(String(reported[0])).toMatch(/could reach a prototype/)
  })
})

describe('red team: slow and idle connections', () => {
  it('connections of one principal are bounded (maxConnections); other principals still connect', async () => {
    const { url } = await serve<Principal>({ authenticate: byToken, limits: { maxConnections: 3 } })
    const mallory = await Promise.all([1, 2, 3].map((i) => RawClient.connect(url, `mallory-000${i}`, { token: 'mallory' })))
    const fourth = await RawClient.open(url, { token: 'mallory' })
    expect(await fourth.closed).toMatchObject({ code: CLOSE.FLOOD })
    expect((await RawClient.connect(url, 'alice-0001', { token: 'alice' })).at).toBeGreaterThan(0)
    mallory[0]!.close()
    await mallory[0]!.closed
    await expect.poll(async () => {
      const again = await RawClient.open(url, { token: 'mallory' })
      const closed = await Promise.race([again.closed, again.hello('mallory-0004').then(() => null)])
      return closed
    }).toBeNull()
  })

  it('a connection that never says hello (slowloris) is closed after two heartbeat intervals', async () => {
    const { url, server } = await serve({ limits: { heartbeat: 50 } })
    const c = await RawClient.open(url)
    expect(await c.closed).toMatchObject({ code: CLOSE.SEQUENCE, reason: 'no hello' })
    await expect.poll(() => server.stats().connections).toBe(0)
  })
})

describe('red team: a client that sends but never reads', () => {
  it("a client that writes without reading is closed before its answers pile up: the server's buffer stays bounded", async () => {
    const maxQueue = 16 << 10
    const { url, server, store } = await serve({ value: { n: 0 }, limits: { maxMessages: 1_000_000, maxQueue, maxInFlight: 100 }, authorize: { write: () => false } })
    const bystander = await RawClient.connect(url, 'bystander-2')
    const deaf = await RawClient.connect(url, 'deaf-client')
    ;(deaf.ws as unknown as { _socket: { pause(): void } })._socket.pause()
    // Each refused write is answered (about 110 bytes): 11 MB in all, more than loopback buffers hold.
    // Bound: twice maxQueue, plus the answers of the writes already waiting (maxInFlight).
    for (let round = 0; round < 20; round++) {
      for (let i = 1; i <= 5000; i++) deaf.send({ type: 'mutation', n: round * 5000 + i, patch: [{ op: 'replace', path: '/n', value: 1 }] })
      await new Promise((r) => setTimeout(r, 20))
    }
    await expect.poll(() => server.stats().buffered).toBeLessThan(3 * maxQueue)
    store.set('/n', 2)
    await bystander.until(() => bystander.at === store.revision)
    expect(server.stats().buffered).toBeLessThan(3 * maxQueue)
  })
})

describe('red team: a malicious server (for the client)', () => {
  it('a welcome with a heartbeat past what a timer holds does not make the client send heartbeats in a loop', async () => {
    const server = await scriptedServer()
    const client = connectStore(server.url, { WebSocket: WebSocket as never })
    try {
      const peer = await server.connection()
      await peer.next()
      peer.send(welcome({ id: 1, limits: { heartbeat: 2 ** 40 } }))
      peer.send({ type: 'dump', id: 1, value: {} })
      await client.ready
      // A timer of more than 2^31-1 ms fires after 1 ms in Node and browsers: 100 of them would show here.
      await new Promise((r) => setTimeout(r, 100))
      expect(peer.queued.filter((m) => m.type === 'heartbeat').length).toBeLessThan(3)
    } finally {
      client.close()
      await server.close()
    }
  })

  it('a dump holding a __proto__ key is refused whole: no prototype is reached, the store keeps its value', async () => {
    const server = await scriptedServer()
    const client = connectStore(server.url, { WebSocket: WebSocket as never, backoff: { base: 5, max: 20 } })
    try {
      const peer = await server.connection()
      await peer.next()
      peer.send(welcome({ id: 1 }))
      peer.sendRaw('{"type":"dump","id":1,"value":{"a":{"__proto__":{"polluted":1}}}}')
      const again = await server.connection()
      expect(await again.next()).not.toHaveProperty('resume')
      expect(({} as any).polluted).toBeUndefined()
      expect(client.store.get()).toEqual({})
    } finally {
      client.close()
      await server.close()
    }
  })
})

describe('red team: concurrency', () => {
  it('many clients writing the same pointers converge on the server\'s document, each write applied once', async () => {
    const { url, store } = await serve({ value: { list: [], last: null } })
    const clients = Array.from({ length: 8 }, () => connectStore<any>(url, { WebSocket: WebSocket as never }))
    await Promise.all(clients.map((c) => c.ready))
    clients.forEach((c, i) => {
      for (let k = 0; k < 20; k++) {
        c.store.apply([{ op: 'add', path: '/list/-', value: `${i}.${k}` }])
        c.store.set('/last', `${i}.${k}`)
      }
    })
    await Promise.all(clients.map((c) => c.synced()))
    const list = store.get('/list') as string[]
    expect(list).toHaveLength(160)
    expect(new Set(list).size).toBe(160)
    const { $sync: _, ...visible } = store.get('') as Record<string, JsonValue>
    for (const c of clients) await expect.poll(() => c.store.get()).toEqual(visible)
    clients.forEach((c) => c.close())
  })

  it('a durable server closed and restarted while a client writes: every write is applied exactly once, none acknowledged is lost', async () => {
    const dir = tempDir()
    let store = await openStore(dir, { value: { list: [] }, sync: 'always' })
    let server = createSyncServer({ store })
    const { port } = await server.listen({ port: 0 })
    const client = connectStore<any>(`ws://127.0.0.1:${port}`, { WebSocket: WebSocket as never, backoff: { base: 5, max: 20 } })
    const acked: string[] = []
    try {
      await client.ready
      for (let k = 0; k < 40; k++) {
        client.store.apply([{ op: 'add', path: '/list/-', value: `w${k}` }])
        if (k === 15) {
          const watched = client.synced().then(() => acked.push('up to w15'), () => {})
          await new Promise((r) => setTimeout(r, 5)) // some of the writes are on the wire, some applied
          await server.close()
          await store.close()
          store = await openStore(dir, { sync: 'always' })
          server = createSyncServer({ store })
          await server.listen({ port })
          await watched
        }
      }
      await client.synced()
      const list = store.get('/list') as unknown as string[]
      expect(list).toEqual(Array.from({ length: 40 }, (_, k) => `w${k}`))
      expect(acked).toEqual(['up to w15'])
    } finally {
      client.close()
      await server.close()
      await store.close()
    }
  })
})
