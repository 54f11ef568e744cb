import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { createStore, type JsonValue, type Store } from 'patchdb'
import { createSyncServer, type SyncServer, type SyncServerOptions } from 'patchdb/server'

/** Servers and directories a test made, closed and removed after it. */
const servers: SyncServer[] = []
const dirs: string[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'patchdb-sync-'))
  dirs.push(d)
  return d
}

/** A sync server on loopback over `store` (a new core store of `value` by default). */
export async function serve<P = unknown>(options: Partial<SyncServerOptions<P>> & { value?: JsonValue; store?: Store<any> } = {}) {
  const store: Store<any> = options.store ?? createStore<any>({ value: options.value ?? {} })
  const server = createSyncServer<P>({ ...options, store })
  servers.push(server)
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' })
  return { store, server, url: `ws://127.0.0.1:${port}` }
}
