// Installs this package (the Redux DevTools server and its socket client) on first use, so
// that installing patchdb never pays for it (655 packages, about a minute). Modelled on
// bench/install.mjs: a stamp of the lockfile's hash says it is installed, and a directory
// lock makes test files that start together install once.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const dir = dirname(fileURLToPath(import.meta.url))
const stamp = join(dir, 'node_modules', '.patchdb-redux-remote-lock')
const lock = join(dir, '.installing')
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves to this package's directory once it is installed. Asynchronous: a test worker keeps running meanwhile. */
export async function ensureReduxRemoteInstalled() {
  const lockfile = createHash('sha256').update(readFileSync(join(dir, 'package-lock.json'))).digest('hex')
  const installed = () => existsSync(stamp) && readFileSync(stamp, 'utf8') === lockfile
  for (;;) {
    if (installed()) return dir
    try {
      mkdirSync(lock)
    } catch {
      // An installer killed mid-way leaves its lock; an install takes a few minutes at most.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
      if (age > 15 * 60_000) rmSync(lock, { recursive: true, force: true })
      await sleep(500)
      continue
    }
    try {
      if (installed()) return dir
      console.log('installing the Redux DevTools server (test/devtools/redux-remote), once per lockfile change ...')
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
      // No install scripts: electron's binary download cannot work offline and is not needed.
      await promisify(execFile)(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 })
      writeFileSync(stamp, lockfile)
      return dir
    } finally {
      rmSync(lock, { recursive: true, force: true })
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await ensureReduxRemoteInstalled()
