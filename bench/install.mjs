// Installs the bench package (bench/package.json: the peer libraries and better-sqlite3) on
// first use, so that installing patchdb itself never pays for them. Plain JS: it runs before
// anything is compiled. `--omit=peer`: the peers share the root's React, one copy per page.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const bench = dirname(fileURLToPath(import.meta.url))
const stamp = join(bench, 'node_modules', '.patchdb-bench-lock')

export function ensureBenchInstalled() {
  const lock = createHash('sha256').update(readFileSync(join(bench, 'package-lock.json'))).digest('hex')
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lock) return
  console.log('installing the bench package (bench/package.json), once per lockfile change ...')
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  execFileSync(npm, ['ci', '--omit=peer', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: bench, stdio: ['ignore', 'ignore', 'inherit'] })
  writeFileSync(stamp, lock)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureBenchInstalled()
