// Installs the bench package (bench/package.json: the peer libraries and better-sqlite3) on
// first use, so that installing patchdb itself never pays for them. Plain JS: it runs before
// anything is compiled. `--omit=peer`: the peers share the root's React, one copy per page.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const bench = dirname(fileURLToPath(import.meta.url))
const stamp = join(bench, 'node_modules', '.patchdb-bench-lock')
/** Held while installing: `npm test` and `npm run bench` started together install once. */
const lock = join(bench, '.installing')
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

export function ensureBenchInstalled() {
  const lockfile = createHash('sha256').update(readFileSync(join(bench, 'package-lock.json'))).digest('hex')
  const installed = () => existsSync(stamp) && readFileSync(stamp, 'utf8') === lockfile
  for (;;) {
    if (installed()) return
    try {
      mkdirSync(lock)
    } catch {
      // An installer killed mid-way leaves its lock; an install takes a few minutes at most.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
      if (age > 15 * 60_000) rmSync(lock, { recursive: true, force: true })
      sleep(500)
      continue
    }
    try {
      if (installed()) return
      console.log('installing the bench package (bench/package.json), once per lockfile change ...')
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
      execFileSync(npm, ['ci', '--omit=peer', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: bench, stdio: ['ignore', 'ignore', 'inherit'] })
      writeFileSync(stamp, lockfile)
      return
    } finally {
      rmSync(lock, { recursive: true, force: true })
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureBenchInstalled()
