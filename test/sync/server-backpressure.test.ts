import { describe, expect, it } from 'vitest'
import { RawClient } from './raw-client'
import { serve } from './serve'

const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 10))
}
const MAX_QUEUE = 64 << 10

describe('backpressure', () => {
  it('a client that does not read stops getting revisions at the queue bound, then gets one fresh dump once it drains', async () => {
    const { server, store, url } = await serve({ value: { blob: '' }, limits: { maxQueue: MAX_QUEUE } })
    const fast = await RawClient.connect(url, 'client-fast')
    const slow = await RawClient.connect(url, 'client-slow')
    slow.ws.pause()
    const blob = 'x'.repeat(20_000)
    for (let i = 0; server.stats().stale === 0; i++) {
      if (i > 5_000) throw new Error('never stale')
      store.set('/blob', blob + i)
      await new Promise((r) => setImmediate(r))
    }
    for (let i = 0; i < 50; i++) store.set('/blob', `${blob}more${i}`) // all skipped for the slow client
    expect(server.stats().buffered).toBeLessThanOrEqual(MAX_QUEUE + 2 * 21_000)
    await fast.until(() => fast.at === store.revision)
    expect(fast.doc).toEqual({ blob: store.get('/blob') })
    slow.ws.resume()
    await slow.until(() => slow.at === store.revision)
    expect(slow.messages.at(-1)).toMatchObject({ type: 'dump', id: store.revision })
    expect(slow.doc).toEqual({ blob: store.get('/blob') })
    expect(slow.gaps).toEqual([])
    // And it streams again from there.
    store.set('/blob', 'small')
    await slow.until(() => slow.at === store.revision)
    expect(slow.messages.at(-1)).toMatchObject({ type: 'revision' })
  })

  it('1,000 clients of which 100 never read: what the server holds for them stays bounded, the others get everything', async () => {
    // The 100 that never read see a big subtree; the 900 readers a small one, so that the
    // test moves megabytes to the stuck sockets, not gigabytes to the readers.
    const { server, store, url } = await serve<{ reads: string[] }>({
      value: { big: '', small: 0 },
      limits: { maxQueue: MAX_QUEUE },
      authenticate: ({ token }) => ({ reads: token === 'stuck' ? [''] : ['/small'] }),
      authorize: { read: (p) => p.reads },
    })
    const clients: RawClient[] = []
    for (let i = 0; i < 10; i++) {
      clients.push(...(await Promise.all(Array.from({ length: 100 }, (_, j) => RawClient.connect(url, `client-${i}-${j}-xx`, { token: i === 0 ? 'stuck' : 'reader' })))))
    }
    const stuck = clients.slice(0, 100)
    const readers = clients.slice(100)
    for (const c of stuck) c.ws.pause()
    const big = 'y'.repeat(200_000) // few revisions fill the kernel's buffers of the stuck sockets
    let i = 0
    const write = () => store.transact((tx) => {
      tx.set('/big', big + i)
      tx.set('/small', i++)
    })
    while (server.stats().stale < 100) {
      if (i > 2_000) throw new Error(`only ${server.stats().stale} went stale`)
      write()
      await new Promise((r) => setImmediate(r))
    }
    for (let k = 0; k < 100; k++) write()
    const stats = server.stats()
    expect(stats.connections).toBe(1_000)
    expect(stats.stale).toBe(100)
    // Never more than the bound (plus the frame that crossed it) per stuck client, however many revisions.
    expect(stats.buffered).toBeLessThanOrEqual(100 * (MAX_QUEUE + 201_000))
    await Promise.all(readers.map((c) => c.until(() => c.at === store.revision)))
    for (const c of readers) expect(c.doc).toEqual({ small: store.get('/small') })
    for (const c of clients) c.ws.terminate()
    await until(() => server.stats().connections === 0)
  }, 300_000)
})
