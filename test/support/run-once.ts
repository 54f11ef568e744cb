import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The checkout. */
export const root = fileURLToPath(new URL('../..', import.meta.url))
/** Set once per `vitest run` by vitest.config.ts, so each run builds afresh, once. */
const run = process.env.PATCHDB_TEST_RUN ?? String(process.pid)

/**
 * Makes something once per test run (a packed tarball, a static Storybook), however many
 * test files ask for it in parallel workers: the first takes a directory lock and calls
 * `make` with a folder of its own, the others wait for it. `make` returns the path of what
 * it made, which every caller gets. A maker killed mid-way leaves its lock: after
 * `staleMs` another takes over.
 */
export async function oncePerRun(name: string, make: (dir: string) => string, staleMs = 120_000): Promise<string> {
  const dir = join(root, 'node_modules/.cache', name, run)
  const lock = join(dir, 'lock')
  const stamp = join(dir, 'stamp')
  mkdirSync(dir, { recursive: true })
  for (;;) {
    if (existsSync(stamp)) {
      const made = readFileSync(stamp, 'utf8')
      if (existsSync(made)) return made
    }
    try {
      mkdirSync(lock) // atomic: one maker per run
    } catch {
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > staleMs) rmSync(lock, { recursive: true, force: true })
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
      writeFileSync(stamp, make(dir))
    } finally {
      rmSync(lock, { recursive: true, force: true })
    }
  }
}
