import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build, preview } from 'vite'

/**
 * Builds an example with its vite config into a temporary directory, as `npm start` does
 * (production React), and serves it on a free localhost port (a secure context: IndexedDB,
 * Web Locks and BroadcastChannel all work). `close` stops the server and deletes the build.
 */
export async function serveExample(configFile: string): Promise<{ url: string; close(): Promise<void> }> {
  const outDir = await buildExample(configFile)
  const server = await preview({ configFile, logLevel: 'silent', build: { outDir }, preview: { port: 0, strictPort: false } })
  return {
    url: `http://localhost:${(server.httpServer.address() as AddressInfo).port}/`,
    async close() {
      await server.close()
      rmSync(outDir, { recursive: true, force: true })
    },
  }
}

/** Builds an example as `npm start` does (production React) into a new temporary directory, and returns it. */
export async function buildExample(configFile: string): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'patchdb-example-'))
  // Vitest sets NODE_ENV=test, which would build development React (and JSX).
  const env = process.env as Record<string, string | undefined>
  const nodeEnv = env.NODE_ENV
  env.NODE_ENV = 'production'
  try {
    await build({ configFile, logLevel: 'silent', build: { outDir, emptyOutDir: true } })
  } finally {
    env.NODE_ENV = nodeEnv
  }
  return outDir
}
