import fs from 'node:fs'
import path from 'node:path'
import { deepEqual } from 'patchdb'
import { openStore } from 'patchdb/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runWriter, tempDir, writerScript } from './fixtures/child'
import { initialValue, patchFor, streamAt } from './fixtures/stream'

const dirs: string[] = []
const fresh = () => {
  const d = tempDir('point')
  dirs.push(d)
  return d
}
beforeAll(() => writerScript(), 60_000)
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

/** Reopens after the crash and checks the two crash-test rules; returns the store, open. */
async function reopenAndCheck(dir: string, acked: number) {
  const db = await openStore(dir, { value: initialValue })
  expect(db.revision).toBeGreaterThanOrEqual(acked)
  expect(deepEqual(db.get(), streamAt(db.revision))).toBe(true)
  return db
}

describe('named crash points (PATCHDB_CRASH)', () => {
  it('after an append, before its fsync: the written records survive a process kill', async () => {
    const dir = fresh()
    const run = await runWriter({ dir, seed: 7, crash: 'after-append:4', stopAt: 100_000, maxRecords: 1e9 })
    expect(run.signal).toBe('SIGKILL')
    expect(run.acked).toBeGreaterThan(0)
    const db = await reopenAndCheck(dir, run.acked)
    expect(db.revision).toBeGreaterThan(run.acked) // the unsynced group is in the page cache
    expect(db.recovery.truncated).toEqual([])
    await db.close()
  })

  it('mid-record (torn write): the torn tail is cut, acknowledged revisions stay', async () => {
    const dir = fresh()
    const run = await runWriter({ dir, seed: 8, crash: 'torn-write:5', stopAt: 100_000, maxRecords: 1e9 })
    expect(run.signal).toBe('SIGKILL')
    const db = await reopenAndCheck(dir, run.acked)
    expect(db.recovery.truncated).toHaveLength(1)
    const [cut] = db.recovery.truncated
    expect(fs.statSync(cut!.file).size).toBe(cut!.offset)
    db.apply(patchFor(db.revision + 1)) // appends follow whole records only
    await db.close()
    const again = await reopenAndCheck(dir, run.acked)
    expect(again.recovery.truncated).toEqual([])
    await again.close()
  })

  // :2 — the first snapshot written is the new store's own.
  it('after the snapshot temp file is written: the previous snapshot and both logs recover', async () => {
    const dir = fresh()
    const run = await runWriter({ dir, seed: 9, crash: 'snapshot-temp-written:2', stopAt: 100_000, maxRecords: 60 })
    expect(run.signal).toBe('SIGKILL')
    expect(fs.readdirSync(dir).sort()).toEqual(['0000000001.log', '0000000001.snap', '0000000002.log', '0000000002.snap.tmp', 'LOCK', 'MANIFEST'])
    const db = await reopenAndCheck(dir, run.acked)
    expect(path.basename(db.recovery.snapshot!)).toBe('0000000001.snap')
    expect(fs.readdirSync(dir)).not.toContain('0000000002.snap.tmp')
    await db.close()
  })

  it('after the rename, before the directory fsync: the new snapshot is used, the old one was kept', async () => {
    const dir = fresh()
    const run = await runWriter({ dir, seed: 10, crash: 'after-rename:2', stopAt: 100_000, maxRecords: 60 })
    expect(run.signal).toBe('SIGKILL')
    expect(fs.readdirSync(dir).sort()).toEqual(['0000000001.log', '0000000001.snap', '0000000002.log', '0000000002.snap', 'LOCK', 'MANIFEST'])
    const db = await reopenAndCheck(dir, run.acked)
    expect(path.basename(db.recovery.snapshot!)).toBe('0000000002.snap')
    await db.close()
    expect(fs.readdirSync(dir).sort()).toEqual(['0000000002.log', '0000000002.snap', 'MANIFEST'])
  })

  // :2 — the first MANIFEST written is the new store's own.
  it('after the MANIFEST temp file is written: the old MANIFEST holds, the new snapshot is used and named', async () => {
    const dir = fresh()
    const run = await runWriter({ dir, seed: 11, crash: 'manifest-temp-written:2', stopAt: 100_000, maxRecords: 60 })
    expect(run.signal).toBe('SIGKILL')
    expect(fs.readdirSync(dir).sort()).toEqual(['0000000001.log', '0000000001.snap', '0000000002.log', '0000000002.snap', 'LOCK', 'MANIFEST', 'MANIFEST.tmp'])
    const db = await reopenAndCheck(dir, run.acked)
    expect(path.basename(db.recovery.snapshot!)).toBe('0000000002.snap')
    await db.close()
    expect(fs.readdirSync(dir).sort()).toEqual(['0000000002.log', '0000000002.snap', 'MANIFEST'])
    const again = await reopenAndCheck(dir, run.acked) // the rewritten MANIFEST names generation 2
    await again.close()
  })

  it('after the MANIFEST rename, before the directory fsync: the new MANIFEST is used', async () => {
    const dir = fresh()
    const run = await runWriter({ dir, seed: 12, crash: 'manifest-renamed:2', stopAt: 100_000, maxRecords: 60 })
    expect(run.signal).toBe('SIGKILL')
    expect(fs.readdirSync(dir).sort()).toEqual(['0000000001.log', '0000000001.snap', '0000000002.log', '0000000002.snap', 'LOCK', 'MANIFEST'])
    const db = await reopenAndCheck(dir, run.acked)
    expect(path.basename(db.recovery.snapshot!)).toBe('0000000002.snap')
    await db.close()
    expect(fs.readdirSync(dir).sort()).toEqual(['0000000002.log', '0000000002.snap', 'MANIFEST'])
  })

  it('during the creation of a store, before its MANIFEST: the unfinished store opens as a new one', async () => {
    for (const crash of ['snapshot-temp-written:1', 'after-rename:1', 'manifest-temp-written:1', 'manifest-renamed:1']) {
      const dir = fresh()
      const run = await runWriter({ dir, seed: 13, crash, stopAt: 100_000 })
      expect(run.signal).toBe('SIGKILL')
      expect(run.openedAt).toBe(-1)
      const db = await reopenAndCheck(dir, 0)
      expect(db.revision).toBe(0)
      expect(db.get()).toEqual(initialValue)
      await db.close()
    }
  })
})
