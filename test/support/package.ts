import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { oncePerRun, root } from './run-once'

export { root }

/**
 * `npm pack` of the checkout, as a user would get it: the `prepack` script builds `dist/`
 * (deleted first, so a tarball without a fresh build cannot pass). Once per test run, shared
 * by the test files that need it (see oncePerRun). Returns the tarball's path; `dist/` is
 * then the build the tarball ships.
 */
export function packOnce(): Promise<string> {
  return oncePerRun('patchdb-pack', (dir) => {
    rmSync(join(root, 'dist'), { recursive: true, force: true })
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir, '--loglevel=error'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    // stdout also holds the prepack build's log (coloured, so full of '['): npm's JSON starts on a line of its own.
    const [{ filename }] = JSON.parse(out.slice(out.search(/^\[$/m))) as { filename: string }[]
    return join(dir, filename)
  })
}
