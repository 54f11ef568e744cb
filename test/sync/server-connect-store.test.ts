import { afterEach, describe, expect, it } from 'vitest'
import { connectStore, type SyncedStore } from 'patchdb/client'
import { serve } from './serve'

// The server's behaviours again, with patchdb/client's connectStore as the client.

const clients: SyncedStore[] = []
afterEach(() => {
  for (const c of clients.splice(0)) c.close()
})
const connect = (url: string, token: string) => {
  const c = connectStore(url, { token, backoff: { base: 5, max: 50 } })
  clients.push(c)
  return c
}
const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 10))
}

describe('the server with connectStore clients', () => {
  it('each client shows the server projected on its grants; writes outside them are refused and rolled back', async () => {
    const { store, url } = await serve<{ reads: string[] }>({
      value: { shared: { n: 0 }, a: { secret: 'for a' }, b: { secret: 'for b' } },
      authenticate: ({ token }) => ({ reads: ['/shared', `/${token}`] }),
      authorize: { read: (p) => p.reads, write: (p, op) => p.reads[1] === '/a' || op.path.startsWith('/b/') },
    })
    const a = connect(url, 'a')
    const b = connect(url, 'b')
    await Promise.all([a.ready, b.ready])
    expect(a.store.get()).toEqual({ shared: { n: 0 }, a: { secret: 'for a' } })
    a.store.set('/shared/n', 1)
    await a.synced()
    await until(() => (b.store.get() as { shared: { n: number } }).shared.n === 1)
    b.store.set('/shared/n', 99) // b may read /shared, not write it
    await expect(b.synced()).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(store.get('/shared/n')).toBe(1)
    expect(b.store.get()).toEqual({ shared: { n: 1 }, b: { secret: 'for b' } })
    expect(JSON.stringify(b.store.get())).not.toContain('for a')
  })

  it('a client that fell behind (it read nothing while the server wrote) catches up from the dump the server sends once it drains', async () => {
    const { server, store, url } = await serve({ value: { blob: '' }, limits: { maxQueue: 32 << 10 } })
    const slow = connect(url, 'x')
    await slow.ready
    // Writes in one busy loop: the client (in this process) reads nothing meanwhile, so the
    // kernel's buffers and then the server's queue fill.
    const blob = 'q'.repeat(20_000)
    const end = Date.now() + 1_000
    let i = 0
    while (Date.now() < end && server.stats().stale === 0) store.set('/blob', blob + i++)
    expect(server.stats().stale).toBe(1)
    for (let k = 0; k < 20; k++) store.set('/blob', `${blob}skipped${k}`)
    await until(() => (slow.store.get() as { blob: string }).blob === store.get('/blob'))
    expect(slow.status.error).toBeFalsy()
  })
})
