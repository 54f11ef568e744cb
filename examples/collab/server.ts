// The collab example's server: a durable store on disk (patchdb/node), served to every page
// over WebSocket at /sync (patchdb/server), and the built app over plain HTTP, on one port.
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { JsonValue } from 'patchdb'
import { openStore } from 'patchdb/node'
import { createSyncServer } from 'patchdb/server'
import { initialShared } from './src/state'

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' }

export interface CollabOptions {
  /** The store's directory. */
  data: string
  /** The built app (vite build's outDir). */
  app: string
  port?: number
  host?: string
}

export async function startCollab(options: CollabOptions): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const db = await openStore<JsonValue>(options.data, { value: initialShared as unknown as JsonValue, sync: 'batch' })
  const root = resolve(options.app)
  const http = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const file = normalize(join(root, path === '/' ? 'index.html' : decodeURIComponent(path)))
    if (file !== root && !file.startsWith(root + sep)) return void res.writeHead(404).end()
    try {
      const body = await readFile(file)
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body)
    } catch {
      res.writeHead(404).end('not found')
    }
  })
  const sync = createSyncServer({ store: db, path: '/sync' })
  sync.attach(http)
  await sync.ready
  const port = await new Promise<number>((done, fail) => {
    http.once('error', fail)
    http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => done((http.address() as { port: number }).port))
  })
  return {
    url: `http://localhost:${port}/`,
    port,
    async close() {
      await sync.close()
      await new Promise<void>((done) => http.close(() => done()))
      await db.close()
    },
  }
}

// `npm run collab`: the app built into examples/collab/dist, the data in examples/collab/.data.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = fileURLToPath(new URL('.', import.meta.url))
  const port = Number(process.env.PORT ?? 4174)
  const { url, close } = await startCollab({ data: join(here, '.data'), app: join(here, 'dist'), port, host: 'localhost' })
  console.log(`patchdb collab: ${url} (open it in two browsers)`)
  process.once('SIGINT', () => void close().then(() => process.exit(0)))
}
