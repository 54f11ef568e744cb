// @vitest-environment jsdom
import { act, cleanup, render, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createStore } from 'patchdb'
import { connectStore, type SyncedStore } from 'patchdb/client'
import { PatchProvider, usePatch, useSyncStatus } from 'patchdb/react'
import { scriptedServer, welcome, type ScriptedServer } from '../sync/scripted-server'

let server: ScriptedServer
let client: SyncedStore<{ n: number }>
beforeEach(async () => {
  server = await scriptedServer()
  client = connectStore(server.url, { WebSocket: WebSocket as never, backoff: { base: 5, max: 20 } })
})
afterEach(async () => {
  cleanup()
  client.close()
  await server.close()
})

function Status() {
  const s = useSyncStatus()
  const n = usePatch('/n')
  renders++
  return <p>{`${s.status} ${s.pending} ${s.error ? (s.error as { code?: string }).code : '-'} n=${String(n)}`}</p>
}
let renders = 0

describe('useSyncStatus', () => {
  it('shows the connection, pending writes and the last error of the provider\'s synced store', async () => {
    renders = 0
    const { container } = render(
      <PatchProvider store={client.store}>
        <Status />
      </PatchProvider>,
    )
    expect(container.textContent).toBe('connecting 0 - n=undefined')
    const peer = await server.connection()
    await peer.next()
    peer.send(welcome({ id: 1 }))
    peer.send({ type: 'dump', id: 1, value: { n: 0 } })
    await waitFor(() => expect(container.textContent).toBe('online 0 - n=0'))
    act(() => void client.store.set('/n', 1))
    await waitFor(() => expect(container.textContent).toBe('online 1 - n=1'))
    await peer.nextOf('mutation')
    peer.send({ type: 'reject', n: 1, code: 'FORBIDDEN', message: 'read-only' })
    await waitFor(() => expect(container.textContent).toBe('online 0 FORBIDDEN n=0'))
    const before = renders
    // A revision of the server changes the revision only: the component re-renders for its value, once.
    peer.send({ type: 'revision', id: 2, patch: [{ op: 'replace', path: '/n', value: 7 }] })
    await waitFor(() => expect(container.textContent).toBe('online 0 FORBIDDEN n=7'))
    expect(renders - before).toBeLessThanOrEqual(2)
  })

  it('a store that is not synced is a clear error', () => {
    const spy = console.error
    console.error = () => {}
    try {
      expect(() =>
        render(
          <PatchProvider store={createStore({ value: {} })}>
            <Status />
          </PatchProvider>,
        ),
      ).toThrow(/not synced/)
    } finally {
      console.error = spy
    }
  })
})
