// @vitest-environment jsdom
import { afterEach, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { connectStore, type SyncedStore } from 'patchdb/client'
import { scriptedServer, welcome, type ScriptedServer } from './scripted-server'

let server: ScriptedServer | undefined
let client: SyncedStore | undefined
afterEach(async () => {
  client?.close()
  await server?.close()
})

it("the browser's online event ends a reconnect's backoff wait: the client reconnects at once", async () => {
  server = await scriptedServer()
  // A backoff that would wait about a minute before the next attempt.
  client = connectStore(server.url, { WebSocket: WebSocket as never, backoff: { base: 60_000, max: 60_000, random: () => 0.99 } })
  const peer = await server.connection()
  await peer.next()
  peer.send(welcome({ id: 1 }))
  peer.send({ type: 'dump', id: 1, value: {} })
  await client.ready
  peer.socket.terminate()
  await expect.poll(() => client!.status.status).toBe('offline')
  window.dispatchEvent(new Event('online'))
  const again = await server.connection()
  expect(await again.next()).toMatchObject({ type: 'hello', resume: { server: 'S1', id: 1 } })
})
