import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The checkout. */
export const root = fileURLToPath(new URL('../..', import.meta.url))
/** Set once per `vitest run` by vitest.config.ts, so each run packs afresh, once. */
const run = process.env.PATCHDB_TEST_RUN ?? String(process.pid)
/** One folder per run: a run never deletes the tarball another run is installing. */
const dir = join(root, 'node_modules/.cache/patchdb-pack', run)
const lock = join(dir, 'lock')
const stamp = join(dir, 'stamp')

/**
 * `npm pack` of the checkout, as a user would get it: the `prepack` script builds `dist/`
 * (deleted first, so a tarball without a fresh build cannot pass). Test files run in
 * parallel workers: the first takes a directory lock and packs, the others wait for it.
 * Returns the tarball's path; `dist/` is then the build the tarball ships.
 */
export async function packOnce(): Promise<string> {
  mkdirSync(dir, { recursive: true })
  for (;;) {
    if (existsSync(stamp)) {
      const tarball = readFileSync(stamp, 'utf8')
      if (existsSync(tarball)) return tarball
    }
    try {
      mkdirSync(lock) // atomic: one packer per run
    } catch {
      // A packer killed mid-way leaves its lock: packing takes well under two minutes.
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 120_000) rmSync(lock, { recursive: true, force: true })
      await new Promise((r) => setTimeout(r, 250))
      continue
    }
    try {
      // Earlier runs' folders go once no run could still be using them.
      const runs = join(dir, '..')
      for (const f of readdirSync(runs)) {
        const old = Date.now() - (statSync(join(runs, f), { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 3_600_000
        if (f !== run && old) rmSync(join(runs, f), { recursive: true, force: true })
      }
      rmSync(join(root, 'dist'), { recursive: true, force: true })
      const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir, '--loglevel=error'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
      // stdout also holds the prepack build's log (coloured, so full of '['): npm's JSON starts on a line of its own.
      const [{ filename }] = JSON.parse(out.slice(out.search(/^\[$/m))) as { filename: string }[]
      writeFileSync(stamp, join(dir, filename))
    } finally {
      rmSync(lock, { recursive: true, force: true })
    }
  }
}
