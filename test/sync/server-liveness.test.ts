import { describe, expect, it } from 'vitest'
import { RawClient } from './raw-client'
import { serve } from './serve'

const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 10))
}

describe('heartbeats', () => {
  it('close a connection that stopped answering within a few intervals, and leave the others', async () => {
    const { server, store, url } = await serve({ value: { n: 0 }, limits: { heartbeat: 40 } })
    const alive = await RawClient.connect(url, 'client-alive')
    const dead = await RawClient.connect(url, 'client-dead')
    expect(server.stats().connections).toBe(2)
    dead.ws.pause() // reads nothing more: no pong, as a peer that vanished
    await until(() => server.stats().connections === 1)
    dead.ws.resume()
    expect((await dead.closed).code).toBe(1006) // dropped, not closed politely: nobody was there
    store.set('/n', 1)
    await alive.until(() => alive.at === store.revision)
  })

  it('keep an idle connection that answers pings, and tell it the server is alive', async () => {
    const { server, url } = await serve({ value: { n: 0 }, limits: { heartbeat: 100 } })
    const idle = await RawClient.connect(url, 'client-idle')
    await idle.next((m) => m.type === 'heartbeat')
    await idle.next((m) => m.type === 'heartbeat')
    await idle.next((m) => m.type === 'heartbeat')
    expect(idle.messages.at(-1)).toEqual({ type: 'heartbeat', id: idle.at })
    expect(server.stats().connections).toBe(1)
  })

  it('close a connection that never says hello', async () => {
    const { server, url } = await serve({ limits: { heartbeat: 100 } })
    const mute = await RawClient.open(url)
    expect(await mute.closed).toMatchObject({ code: 4002, reason: 'no hello' })
    await until(() => server.stats().connections === 0)
  })

  it('a second connection with the same client id replaces the first (4005)', async () => {
    const { url } = await serve()
    const first = await RawClient.connect(url, 'client-same')
    await RawClient.connect(url, 'client-same')
    expect((await first.closed).code).toBe(4005)
  })

  it('close() ends every connection with 1001', async () => {
    const { server, url } = await serve()
    const c = await RawClient.connect(url, 'client-aaaa')
    await server.close()
    expect((await c.closed).code).toBe(1001)
  })
})
