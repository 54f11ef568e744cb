import { describe, expect, it } from 'vitest'
import type { Operation } from 'patchdb'
import { RawClient } from './raw-client'
import { serve } from './serve'

type Principal = { user: string; reads: string[] }
const users: Record<string, Principal> = {
  alice: { user: 'alice', reads: ['/public', '/users/alice'] },
  bob: { user: 'bob', reads: ['/public', '/users/bob'] },
  admin: { user: 'admin', reads: [''] },
}

async function serveUsers() {
  const seen: { user: string; op: Operation }[] = []
  const served = await serve<Principal>({
    value: { public: { title: 'hello' }, users: { alice: { notes: ['a1'] }, bob: { secret: 'bob-secret', notes: [] } } },
    authenticate: ({ token }) => users[token ?? ''] ?? null,
    authorize: {
      read: (p) => p.reads,
      write: (p, op) => {
        seen.push({ user: p.user, op })
        return p.user === 'admin' || op.path.startsWith(`/users/${p.user}`) || op.path.startsWith('/public/')
      },
    },
  })
  return { ...served, seen, as: (user: string, id = `client-${user}`) => RawClient.connect(served.url, id, { token: user }) }
}

describe('read grants', () => {
  it('a dump holds only the granted subtrees, in a skeleton of their ancestors', async () => {
    const { as } = await serveUsers()
    const alice = await as('alice')
    expect(alice.doc).toEqual({ public: { title: 'hello' }, users: { alice: { notes: ['a1'] } } })
    expect(alice.messages[0]).toMatchObject({ grants: ['/public', '/users/alice'] })
    expect(alice.raw.join('')).not.toContain('bob-secret')
  })

  it('revisions are filtered to the grants: a change elsewhere arrives as an empty patch, ids still step by one', async () => {
    const { store, as } = await serveUsers()
    const alice = await as('alice')
    store.set('/users/bob/secret', 'bob-secret-2')
    store.set('/public/title', 'hi')
    await alice.until(() => alice.at === store.revision)
    const revisions = alice.messages.filter((m) => m.type === 'revision')
    expect(revisions.map((m) => (m as unknown as { patch: unknown[] }).patch.length)).toEqual([0, 1])
    expect(alice.gaps).toEqual([])
    expect(alice.doc).toEqual({ public: { title: 'hi' }, users: { alice: { notes: ['a1'] } } })
    expect(alice.raw.join('')).not.toContain('bob-secret')
  })

  it('a move or copy from an unreadable path into a readable one arrives as the value, never naming its source', async () => {
    const { store, as } = await serveUsers()
    const alice = await as('alice')
    store.apply([{ op: 'copy', from: '/users/bob/secret', path: '/public/leak' }])
    store.apply([{ op: 'move', from: '/users/bob/notes', path: '/public/notes' }])
    await alice.until(() => alice.at === store.revision)
    const frames = alice.raw.slice(-2).join('\n')
    expect(frames).not.toContain('/users/bob')
    expect(alice.doc).toEqual({ public: { title: 'hello', leak: 'bob-secret', notes: [] }, users: { alice: { notes: ['a1'] } } })
  })

  it('an admin with the grant "" sees everything but the server bookkeeping', async () => {
    const { store, as } = await serveUsers()
    const admin = await as('admin')
    const { $sync, ...visible } = store.get() as Record<string, unknown>
    expect($sync).toBeDefined()
    expect(admin.doc).toEqual(visible)
    expect(admin.raw.join('')).not.toContain('$sync')
  })
})

describe('write rules', () => {
  it('are asked for each operation with its path and from; one refusal rejects the whole mutation with FORBIDDEN and changes nothing', async () => {
    const { store, as, seen } = await serveUsers()
    const alice = await as('alice')
    const before = store.revision
    const answer = await alice.mutate(1, [
      { op: 'add', path: '/users/alice/notes/-', value: 'a2' },
      { op: 'copy', from: '/users/alice/notes/0', path: '/public/copied' },
      { op: 'test', path: '/public/title', value: 'hello' },
    ])
    expect(answer).toMatchObject({ type: 'ack' })
    // test only reads: the write rule is not asked for it
    expect(seen.map((s) => s.op)).toEqual([
      { op: 'add', path: '/users/alice/notes/-', value: 'a2' },
      { op: 'copy', from: '/users/alice/notes/0', path: '/public/copied' },
    ])
    const refused = await alice.mutate(2, [{ op: 'add', path: '/users/alice/notes/-', value: 'a3' }, { op: 'remove', path: '/public' }])
    expect(refused).toMatchObject({ type: 'reject', n: 2, code: 'FORBIDDEN' })
    expect(store.revision).toBe(before + 1)
    expect(store.get('/users/alice/notes')).toEqual(['a1', 'a2'])
  })

  it('refuse paths the client cannot read, the bookkeeping and the root, whatever the write rule says', async () => {
    const { store, as } = await serveUsers()
    const alice = await as('alice')
    const admin = await as('admin')
    const before = store.get()
    expect(await alice.mutate(1, [{ op: 'copy', from: '/users/bob/secret', path: '/users/alice/stolen' }])).toMatchObject({ code: 'FORBIDDEN' })
    expect(await alice.mutate(2, [{ op: 'test', path: '/users/bob/secret', value: 'bob-secret' }])).toMatchObject({ code: 'FORBIDDEN' })
    expect(await admin.mutate(1, [{ op: 'replace', path: '/$sync/clients', value: {} }])).toMatchObject({ code: 'FORBIDDEN' })
    expect(await admin.mutate(2, [{ op: 'replace', path: '', value: {} }])).toMatchObject({ code: 'FORBIDDEN' })
    expect(await admin.mutate(3, [{ op: 'move', from: '/$sync', path: '/x' }])).toMatchObject({ code: 'FORBIDDEN' })
    expect(store.get()).toBe(before)
  })
})
