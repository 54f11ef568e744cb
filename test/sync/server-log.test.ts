import { describe, expect, it } from 'vitest'
import { applyPatch, createStore, type JsonValue, type Patch, type Revision } from 'patchdb'
import { openStore } from 'patchdb/node'
import { createSyncServer, LogConflictError, storeLog, type Published, type RevisionLog } from 'patchdb/server'
import { RawClient } from './raw-client'
import { tempDir } from './serve'

describe('storeLog: the revision log interface over a store', () => {
  it('appends only at the expected id: another writer first is a LogConflictError, and nothing is applied', async () => {
    const store = createStore({ value: { n: 0 } })
    const log = storeLog(store)
    await expect(log.append(0, [{ op: 'replace', path: '/n', value: 1 }])).resolves.toEqual({ id: 1, patch: [{ op: 'replace', path: '/n', value: 1 }] })
    store.set('/n', 2) // another writer
    await expect(log.append(1, [{ op: 'replace', path: '/n', value: 3 }])).rejects.toBeInstanceOf(LogConflictError)
    expect(store.get('/n')).toBe(2)
    expect(log.head()).toBe(2)
  })

  it('reads since an id, or null when it no longer reaches back', () => {
    const store = createStore({ value: { n: 0 } }, { history: 3 })
    const log = storeLog(store)
    for (let i = 1; i <= 5; i++) store.set('/n', i)
    expect(log.since(3)!.map((r) => r.id)).toEqual([4, 5])
    expect(log.since(2)!.map((r) => r.id)).toEqual([3, 4, 5])
    expect(log.since(1)).toBeNull()
    expect(log.since(5)).toEqual([])
    expect(log.since(6)).toBeNull()
    expect(log.valueAt(3)).toEqual({ n: 3 })
    expect(log.valueAt(0)).toBeUndefined()
  })

  it("follows a durable store's revisions only once they are on disk, in order, with the documents before and after", async () => {
    const dir = tempDir()
    const store = await openStore(dir, { value: { n: 0 }, sync: 'batch' })
    const log = storeLog(store)
    const seen: { id: number; before: unknown; after: unknown; onDisk: number }[] = []
    const checks: Promise<void>[] = []
    log.follow((e) => {
      checks.push(
        openStore(dir, { readOnly: true }).then(async (disk) => {
          seen.push({ id: e.revision.id, before: e.before, after: e.after, onDisk: disk.revision })
          await disk.close()
        }),
      )
    }, (e) => {
      throw e
    })
    for (let i = 1; i <= 3; i++) store.set('/n', i)
    await log.durable()
    while (checks.length < 3) await new Promise((r) => setTimeout(r, 5))
    await Promise.all(checks)
    expect(seen.map((s) => s.id)).toEqual([1, 2, 3])
    for (const s of seen) expect(s.onDisk).toBeGreaterThanOrEqual(s.id)
    expect(seen.map((s) => [s.before, s.after])).toEqual([
      [{ n: 0 }, { n: 1 }],
      [{ n: 1 }, { n: 2 }],
      [{ n: 2 }, { n: 3 }],
    ])
    await store.close()
  })
})

/** A log in memory that is not a store: what a PostgreSQL backend would implement. Its first write to /items conflicts, as if another server process wrote first. */
function memoryLog(initial: JsonValue): RevisionLog & { conflicts: number } {
  const revisions: Revision[] = []
  const values: JsonValue[] = [initial]
  const followers = new Set<(e: Published) => void>()
  let conflicts = 0
  return {
    get conflicts() {
      return conflicts
    },
    head: () => revisions.length,
    read: () => values.at(-1)!,
    async append(expected: number, patch: Patch) {
      if (expected !== revisions.length) throw new LogConflictError('moved')
      if (patch.some((op) => op.path.startsWith('/items')) && conflicts === 0) {
        conflicts++
        // Another process appends first.
        await this.append(expected, [{ op: 'add', path: '/other', value: true }])
        throw new LogConflictError('moved')
      }
      const before = values.at(-1)!
      const after = applyPatch(before, patch).value
      const revision = { id: revisions.length + 1, patch }
      revisions.push(revision)
      values.push(after)
      for (const f of followers) f({ revision, before, after })
      return revision
    },
    durable: () => Promise.resolve(),
    since: (id) => (id <= revisions.length && id >= 0 ? revisions.slice(id) : null),
    valueAt: (id) => values[id],
    follow(fn) {
      followers.add(fn)
      return () => followers.delete(fn)
    },
  }
}

describe('a server over another RevisionLog', () => {
  it('serves a log that is not a store, and retries a write whose expected id another writer took', async () => {
    const log = memoryLog({ items: [] })
    const server = createSyncServer({ log })
    const { port } = await server.listen({ port: 0 })
    try {
      const c = await RawClient.connect(`ws://127.0.0.1:${port}`, 'client-aaaa')
      const ack = await c.mutate(1, [{ op: 'add', path: '/items/-', value: 'x' }])
      expect(ack).toMatchObject({ type: 'ack', n: 1, id: log.head() })
      await c.until(() => c.at === log.head())
      expect(c.doc).toEqual({ items: ['x'], other: true })
      expect(log.conflicts).toBe(1)
    } finally {
      await server.close()
    }
  })
})
