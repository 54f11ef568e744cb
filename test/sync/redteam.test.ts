import { describe, expect, it } from 'vitest'
import { MAX_DEPTH, type JsonValue } from 'patchdb'
import { CLOSE } from 'patchdb/server'
import { connectStore } from 'patchdb/client'
import { WebSocket } from 'ws'
import { RawClient } from './raw-client'
import { serve } from './serve'

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
