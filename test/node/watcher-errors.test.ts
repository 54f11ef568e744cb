import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from 'patchdb/node'
import { fixtureScript, runFixture, tempDir } from './fixtures/child'

const dirs: string[] = []
beforeAll(() => fixtureScript('throwing-watcher'), 60_000)
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

/** Runs the child in `mode`; checks it lived, then that all 300 revisions reopen. Returns its stderr. */
async function survives(mode: string): Promise<string> {
  const dir = tempDir('watcher-errors')
  dirs.push(dir)
  const run = await runFixture('throwing-watcher', [dir, '300', mode])
  expect(run.signal).toBeNull()
  expect(run.stdout).toBe('alive 300\n')
  expect(run.code).toBe(0)
  const db = await openStore<{ n: number; log: number[] }>(dir)
  try {
    expect({ revision: db.revision, n: db.get('/n'), log: db.get('/log').length }).toEqual({ revision: 300, n: 300, log: 300 })
  } finally {
    await db.close()
  }
  return run.stderr
}

// A real Node process, where an error rethrown from a microtask is an uncaught exception
// that ends the process (and a 'batch' store with it, before its group commit).
describe('a throwing watcher in Node', () => {
  it('leaves the process alive, reports to the console, and the batch store flushes and reopens', { timeout: 60_000 }, async () => {
    const stderr = await survives('default')
    expect(stderr).toContain(`patchdb: a watcher of '/n' threw during revision 1:`)
    expect(stderr).toContain('watcher failed at n=300')
    expect(stderr).toContain('patchdb: a subscriber threw during revision 300:')
  })

  it('an onError that throws as well crashes nothing either', { timeout: 60_000 }, async () => {
    const stderr = await survives('throwing-handler')
    expect(stderr).toContain('onError threw while handling an error')
    expect(stderr).toContain('onError failed too')
  })
})
