import { execFileSync } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { preview } from 'vite'
import { oncePerRun, root } from './run-once'

/**
 * `storybook build` of stories/ (what `npm run build-storybook` makes), once per test
 * run, shared by the test files that drive it. Returns the static site's folder.
 */
export function buildStorybookOnce(): Promise<string> {
  return oncePerRun(
    'patchdb-storybook-static',
    (dir) => {
      const out = join(dir, 'storybook-static')
      execFileSync(join(root, 'node_modules/.bin/storybook'), ['build', '--output-dir', out, '--quiet', '--disable-telemetry'], {
        cwd: root,
        // Vitest's NODE_ENV=test would build development React; users' static builds are production.
        env: { ...process.env, NODE_ENV: 'production', STORYBOOK_DISABLE_TELEMETRY: '1' },
        stdio: ['ignore', 'ignore', 'inherit'],
      })
      return out
    },
    300_000,
  )
}

/** Serves a static folder on a free 127.0.0.1 port (a secure context). */
export async function serveStatic(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = await preview({ configFile: false, root: dir, logLevel: 'silent', build: { outDir: dir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } })
  return { url: `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/`, close: () => server.close() }
}
