import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The checkout's root, found from here whether the bench runs from source or from its build. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'patchdb') return dir
    const up = dirname(dir)
    if (up === dir) throw new Error('patchdb checkout not found above the bench')
    dir = up
  }
}

export const repoRoot = findRoot()
