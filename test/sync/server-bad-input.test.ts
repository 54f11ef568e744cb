import fc from 'fast-check'
import { Encoder } from 'cbor-x'
import { describe, expect, it } from 'vitest'
import { createStore } from 'patchdb'
import { CLOSE } from 'patchdb/server'
import { RawClient } from './raw-client'
import { serve } from './serve'

/** A server, a bystander client that must notice nothing, and a way to open hostile connections. */
async function setup(limits = {}) {
  const served = await serve({ value: { n: 0, list: [] }, limits: { maxFrame: 4096, maxOps: 10, maxMessages: 50, ...limits } })
  const bystander = await RawClient.connect(served.url, 'bystander')
  /** The bystander still gets every revision, and its writes still apply. */
  const unaffected = async () => {
    served.store.set('/n', (served.store.get('/n') as number) + 1)
    await bystander.until(() => bystander.at === served.store.revision)
    expect(bystander.doc).toMatchObject({ n: served.store.get('/n') })
    const ack = await bystander.mutate(bystander.messages.filter((m) => m.type === 'ack').length + 1, [{ op: 'add', path: '/list/-', value: 1 }])
    expect(ack.type).toBe('ack')
  }
  return { ...served, bystander, unaffected, open: () => RawClient.open(served.url) }
}

const hello = { type: 'hello', v: 1, client: 'hostile-1' }

describe('bad input is refused with a close code and a reason; the server and other clients carry on', () => {
  it('an oversized frame: 1009', async () => {
    const { open, unaffected } = await setup()
    const c = await open()
    c.send(hello)
    c.ws.send(JSON.stringify({ type: 'mutation', n: 1, patch: [{ op: 'add', path: '/x', value: 'x'.repeat(10_000) }] }))
    expect((await c.closed).code).toBe(1009)
    await unaffected()
  })

  it.each([
    ['not JSON', '{"type":', CLOSE.MALFORMED, /not JSON/],
    ['not an object', '[1,2]', CLOSE.MALFORMED, /object with a type/],
    ['an unknown type', '{"type":"teleport"}', CLOSE.MALFORMED, /unknown message type/],
    ['an unknown version', JSON.stringify({ ...hello, v: 2 }), CLOSE.VERSION, /version 2 is not supported/],
    ['a bad client id', JSON.stringify({ ...hello, client: '__proto__' }), CLOSE.MALFORMED, /hello.client/],
    ['a message before hello', JSON.stringify({ type: 'mutation', n: 1, patch: [] }), CLOSE.SEQUENCE, /first message must be hello/],
  ])('%s', async (_name, frame, code, reason) => {
    const { open, unaffected } = await setup()
    const c = await open()
    const error = c.next((m) => m.type === 'error')
    c.ws.send(frame)
    const closed = await c.closed
    expect(closed.code).toBe(code)
    expect(closed.reason).toMatch(reason)
    expect(await error).toMatchObject({ type: 'error', code })
    await unaffected()
  })

  it('a second hello: 4002', async () => {
    const { open, unaffected } = await setup()
    const c = await open()
    await c.hello('hostile-1')
    c.send(hello)
    expect(await c.closed).toMatchObject({ code: CLOSE.SEQUENCE, reason: 'a second hello' })
    await unaffected()
  })

  it('malformed mutations: an unsafe path, a missing value, a bad number: 4000', async () => {
    for (const m of [
      { type: 'mutation', n: 1, patch: [{ op: 'add', path: '/__proto__/polluted', value: 1 }] },
      { type: 'mutation', n: 1, patch: [{ op: 'add', path: '/a' }] },
      { type: 'mutation', n: 1, patch: [{ op: 'add', path: 'no-slash', value: 1 }] },
      { type: 'mutation', n: 0, patch: [] },
      { type: 'mutation', n: 1.5, patch: [] },
      { type: 'lease', n: 1, path: '/a', ttl: -1 },
    ]) {
      const { open, unaffected } = await setup()
      const c = await open()
      await c.hello('hostile-1')
      c.send(m)
      expect((await c.closed).code, JSON.stringify(m)).toBe(CLOSE.MALFORMED)
      await unaffected()
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('a value with a __proto__ key is refused by the store (VALUE_INVALID) and pollutes nothing', async () => {
    const { open, store, unaffected } = await setup()
    const c = await open()
    await c.hello('hostile-1')
    const answer = await c.mutate(1, JSON.parse('[{"op":"add","path":"/x","value":{"__proto__":{"polluted":1}}}]'))
    expect(answer).toMatchObject({ type: 'reject', code: 'VALUE_INVALID' })
    expect(store.get('/x')).toBeUndefined()
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    await unaffected()
  })

  it('a patch over the operation limit: 4003', async () => {
    const { open, store, unaffected } = await setup()
    const c = await open()
    await c.hello('hostile-1')
    const before = store.revision
    c.send({ type: 'mutation', n: 1, patch: Array.from({ length: 11 }, (_, i) => ({ op: 'add', path: `/k${i}`, value: i })) })
    expect(await c.closed).toMatchObject({ code: CLOSE.TOO_MANY_OPS })
    expect(store.revision).toBe(before)
    await unaffected()
  })

  it('a flood of messages: 4004', async () => {
    const { open, unaffected } = await setup()
    const c = await open()
    await c.hello('hostile-1')
    for (let i = 0; i < 500; i++) c.send({ type: 'heartbeat' })
    expect((await c.closed).code).toBe(CLOSE.FLOOD)
    await unaffected()
  })

  it('CBOR that JSON has no form for (undefined, a non-string key, bytes, a tag): 4000', async () => {
    const enc = new Encoder({ useRecords: false, mapsAsObjects: false })
    for (const value of [undefined, new Map<unknown, unknown>([[1, 'x']]), new Uint8Array([1, 2]), new Date(0)]) {
      const { open, unaffected } = await setup()
      const c = await open()
      await c.hello('hostile-1')
      c.ws.send(enc.encode({ type: 'mutation', n: 1, patch: [{ op: 'add', path: '/x', value }] }))
      expect((await c.closed).code).toBe(CLOSE.MALFORMED)
      await unaffected()
    }
  })

  it('text that is not UTF-8: 1007 (from ws)', async () => {
    const { open, unaffected } = await setup()
    const c = await open()
    c.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false })
    expect((await c.closed).code).toBe(1007)
    await unaffected()
  })

  it('random frames, text and binary, never crash the server', async () => {
    const { open, unaffected } = await setup({ maxMessages: 100_000 })
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json().map((j) => ({ text: true, data: Buffer.from(j) })),
          fc.uint8Array({ maxLength: 300 }).map((b) => ({ text: false, data: Buffer.from(b) })),
          fc.record({ type: fc.constantFrom('hello', 'mutation', 'lease', 'release', 'resend', 'heartbeat'), v: fc.anything(), client: fc.anything(), n: fc.anything(), patch: fc.anything(), path: fc.anything(), from: fc.anything(), ttl: fc.anything() }).map((o) => ({ text: true, data: Buffer.from(JSON.stringify(o) ?? 'null') })),
        ),
        async (frame) => {
          const c = await open()
          c.send(hello)
          c.ws.send(frame.data, { binary: !frame.text })
          c.ws.send(frame.data, { binary: !frame.text })
          setTimeout(() => c.ws.terminate(), 20)
          await c.closed
        },
      ),
      { numRuns: 60 },
    )
    await unaffected()
  }, 60_000)
})

describe('resend requests cannot make the server buffer without bound', () => {
  it('a client asking again and again for the whole history gets at most a queue of frames, then dumps once it drains', async () => {
    const { server, store, url } = await serve({ store: createStore<any>({ value: { blob: '' } }, { history: 1_000 }), limits: { maxQueue: 64 << 10, maxMessages: 100_000 } })
    for (let i = 0; i < 200; i++) store.set('/blob', 'z'.repeat(10_000) + i) // 2 MB of history
    const c = await RawClient.connect(url, 'greedy-client')
    c.ws.pause()
    for (let i = 0; i < 50; i++) c.send({ type: 'resend', from: 1 })
    // Frames of one connection are handled in order: once this write is in, every resend was answered.
    c.send({ type: 'mutation', n: 1, patch: [{ op: 'add', path: '/done', value: true }] })
    while (store.get('/done') !== true) await new Promise((r) => setTimeout(r, 10))
    expect(server.stats().buffered).toBeLessThanOrEqual((64 << 10) + 20_000)
    c.ws.resume()
    await c.until(() => c.at === store.revision)
    expect(c.doc).toEqual({ blob: store.get('/blob'), done: true })
  })
})

describe('the server survives its own application', () => {
  it('app code that deletes the bookkeeping, or grants that throw, end the connection concerned (1011), never the process', async () => {
    const errors: unknown[] = []
    const { store, url } = await serve<{ bad: boolean }>({
      value: { n: 0 },
      authenticate: ({ token }) => ({ bad: token === 'bad' }),
      authorize: {
        read: (p) => {
          if (p.bad) throw new Error('no grants for you')
          return ['']
        },
      },
      onError: (e) => errors.push(e),
    })
    const bad = await RawClient.open(url, { token: 'bad' })
    bad.send(hello)
    expect((await bad.closed).code).toBe(1011)
    store.apply([{ op: 'remove', path: '/$sync' }])
    const late = await RawClient.open(url, { token: 'good' })
    late.send({ ...hello, client: 'late-client' })
    expect((await late.closed).code).toBe(1011)
    expect(errors.length).toBeGreaterThanOrEqual(2)
  })
})
