import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { getPath, type JsonValue, type Operation } from 'patchdb'
import { connectStore, type SyncedStore } from 'patchdb/client'
import { openStore, type DurableStore } from 'patchdb/node'
import { createSyncServer, type SyncServer } from 'patchdb/server'
import { proxy, type Proxy } from './proxy'

// Convergence: N clients write at random, their connections drop at random, the server
// restarts from its durable store. After quiescence every client equals the server's
// document projected on its grants, every acknowledged write is applied exactly once, and
// nothing acknowledged is lost.

interface Doc {
  items: string[]
  shared: { x: number }
  rows: number[]
}

const GRANTS: Record<string, string[]> = { all: [''], part: ['/items', '/shared'] }
const TOKENS = ['all', 'all', 'part', 'part']

/** The server's document as a client with `grants` sees it (docs/protocol.md, "Grants"). */
function project(doc: Record<string, JsonValue>, grants: string[]): JsonValue {
  const { $sync: _, ...rest } = doc
  if (grants.includes('')) return rest
  const out: Record<string, JsonValue> = {}
  for (const g of grants) {
    const v = getPath(rest, g)
    if (v !== undefined) out[g.slice(1)] = v as JsonValue
  }
  return out
}

type Action = { kind: 'append' | 'shared' | 'rows' | 'cut' | 'down' | 'up' | 'restart' | 'wait'; c: number; r: number }

const action = fc.record({
  kind: fc.constantFrom<Action['kind']>('append', 'append', 'append', 'shared', 'rows', 'rows', 'cut', 'down', 'up', 'wait', 'wait', 'restart'),
  c: fc.nat({ max: TOKENS.length - 1 }),
  r: fc.nat({ max: 1000 }),
})

class World {
  db!: DurableStore<JsonValue>
  server!: SyncServer
  port = 0
  lines: Proxy[] = []
  clients: SyncedStore<Doc>[] = []
  appended: string[] = []
  constructor(readonly dir: string) {}

  async start(): Promise<void> {
    this.db = await openStore<JsonValue>(this.dir, { value: { items: [], shared: { x: 0 }, rows: [] }, sync: 'always' })
    this.server = createSyncServer({
      store: this.db,
      authenticate: ({ token }) => (token && GRANTS[token] ? { token } : null),
      authorize: { read: (p: { token: string }) => GRANTS[p.token]! },
      // A small heartbeat, so that a relay that went down without a close is noticed.
      limits: { heartbeat: 200 },
    })
    this.port = (await this.server.listen({ port: this.port })).port
  }

  async stop(): Promise<void> {
    await this.server.close()
    await this.db.close()
  }

  async act(a: Action, k: number): Promise<void> {
    const client = this.clients[a.c]!
    const store = client.store
    switch (a.kind) {
      case 'append': {
        const token = `c${a.c}-${k}`
        store.apply([{ op: 'add', path: '/items/-', value: token }])
        this.appended.push(token)
        return
      }
      case 'shared': {
        // A compare-and-set: refused by the server (TEST_FAILED) when someone else got there first.
        const x = store.get('/shared/x')
        store.apply([
          { op: 'test', path: '/shared/x', value: x },
          { op: 'replace', path: '/shared/x', value: a.r },
        ])
        return
      }
      case 'rows': {
        if (TOKENS[a.c] !== 'all') return
        const rows = store.get('/rows')
        const i = rows.length === 0 ? 0 : a.r % (rows.length + 1)
        const op: Operation =
          rows.length > 0 && a.r % 3 === 0 ? { op: 'remove', path: `/rows/${Math.min(i, rows.length - 1)}` } : a.r % 3 === 1 && rows.length > 0 ? { op: 'replace', path: `/rows/${Math.min(i, rows.length - 1)}`, value: a.r } : { op: 'add', path: `/rows/${i}`, value: a.r }
        store.apply([op])
        return
      }
      case 'cut':
        return this.lines[a.c]!.cut()
      case 'down':
        this.lines[a.c]!.down = true
        return this.lines[a.c]!.cut()
      case 'up':
        this.lines[a.c]!.down = false
        return
      case 'restart':
        await this.stop()
        await this.start()
        return
      case 'wait':
        await new Promise((r) => setTimeout(r, a.r % 20))
        return
    }
  }
}

describe('convergence', () => {
  it('N clients with random writes, random disconnects and a server restart: after quiescence each equals the server projected on its grants, each acknowledged write applied once, none lost', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 20, maxLength: 60 }), async (actions) => {
        const dir = mkdtempSync(join(tmpdir(), 'patchdb-converge-'))
        const world = new World(dir)
        try {
          await world.start()
          for (const token of TOKENS) {
            const line = await proxy(world.port)
            world.lines.push(line)
            world.clients.push(connectStore<Doc>(line.url, { token, backoff: { base: 5, max: 40 } }))
          }
          await Promise.all(world.clients.map((c) => c.ready))
          for (let k = 0; k < actions.length; k++) await world.act(actions[k]!, k)
          // Quiescence: every line up, every write answered, every client at the server's revision.
          for (const line of world.lines) line.down = false
          for (const c of world.clients) {
            await expect.poll(() => c.synced().then(() => c.status.pending, () => -1), { timeout: 20_000 }).toBe(0)
          }
          for (const c of world.clients) await expect.poll(() => c.status.revision, { timeout: 20_000 }).toBe(world.db.revision)
          const doc = world.db.get() as Record<string, JsonValue>
          world.clients.forEach((c, i) => expect(c.store.get(), `client ${i}`).toEqual(project(doc, GRANTS[TOKENS[i]!]!)))
          // Appends are never refused: each is in the server's list exactly once.
          const items = doc.items as string[]
          expect(items.slice().sort()).toEqual(world.appended.slice().sort())
        } finally {
          for (const c of world.clients) c.close()
          for (const l of world.lines) await l.close()
          await world.stop().catch(() => {})
          rmSync(dir, { recursive: true, force: true })
        }
      }),
      { numRuns: 4 },
    )
  }, 120_000)
})
