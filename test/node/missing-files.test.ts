import fs from 'node:fs'
import path from 'node:path'
import { deepEqual } from 'patchdb'
import { CorruptionError, openStore } from 'patchdb/node'
import { beforeAll, describe, expect, it } from 'vitest'
import { runWriter, startWriter, writerScript } from './fixtures/child'
import { dirs, only } from './fixtures/dirs'
import { logRecords } from './fixtures/records'
import { initialValue, patchFor, streamAt } from './fixtures/stream'

const fresh = dirs('missing')
beforeAll(() => writerScript(), 60_000)

/** A closed store with revisions 1..n, compacted after `compactAt` if given. */
async function written(n: number, compactAt?: number, sync: 'batch' | 'none' = 'none') {
  const dir = fresh()
  const db = await openStore(dir, { value: initialValue, sync, compact: { maxRecords: 1e9 } })
  for (let i = 1; i <= n; i++) {
    db.apply(patchFor(i))
    if (i === compactAt) await db.compact()
  }
  await db.close()
  return dir
}

async function openError(dir: string, options = {}) {
  const err = await openStore(dir, options).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(CorruptionError)
  return err as CorruptionError
}

/** Flips one bit of `file` at `offset`. */
function flip(file: string, offset: number) {
  const bytes = fs.readFileSync(file)
  bytes[offset]! ^= 0x10
  fs.writeFileSync(file, bytes)
}

/** Runs the crash writer until its log holds `n` acknowledged revisions, then kills it (no clean close). */
async function killedAfterAck(n: number) {
  const dir = fresh()
  const writer = await startWriter({ dir, seed: 5, maxRecords: 1e9 })
  let ended = false
  void writer.done.then(() => (ended = true))
  await writer.ready
  while (!ended && committed(dir) < n) await new Promise((r) => setTimeout(r, 5))
  writer.kill()
  const run = await writer.done
  expect(run.signal, run.stderr).toBe('SIGKILL')
  return { dir, acked: run.acked }
}

/** The highest revision followed by a commit mark in the directory's only log. */
function committed(dir: string): number {
  const logs = fs.readdirSync(dir).filter((n) => n.endsWith('.log'))
  if (logs.length !== 1) return 0
  let last = 0
  let id = 0
  for (const r of logRecords(path.join(dir, logs[0]!))) {
    if (r.kind === 'revision') id = r.id!
    else if (r.kind === 'commit') last = id
  }
  return last
}

describe('acknowledged data that is gone is a CorruptionError naming it; salvage reports it', () => {
  it('a deleted log: CorruptionError, never an older revision; salvage opens at the snapshot and reports the log', async () => {
    for (const compactAt of [undefined, 30]) {
      const dir = await written(60, compactAt)
      const log = only(dir, '.log')
      fs.rmSync(log)
      const err = await openError(dir)
      expect(err.file).toBe(log)
      expect(err.message).toMatch(/missing/)
      const db = await openStore(dir, { salvage: true })
      expect(db.revision).toBe(compactAt ?? 0)
      expect(db.recovery.dropped).toEqual([expect.objectContaining({ file: log, reason: expect.stringMatching(/missing/) })])
      await db.close()
    }
  })

  it('a snapshot deleted right after compaction: CorruptionError naming it, never revision 0 (also with salvage: nothing to keep)', async () => {
    const dir = await written(60, 60)
    const snap = only(dir, '.snap')
    fs.rmSync(snap)
    for (const salvage of [false, true]) {
      const err = await openError(dir, { salvage })
      expect(err.file).toBe(snap)
      expect(err.message).toMatch(/MANIFEST names is missing/)
    }
  })

  it('a deleted MANIFEST of a store with data: CorruptionError; salvage opens everything and reports it', async () => {
    const dir = await written(40, 20)
    fs.rmSync(path.join(dir, 'MANIFEST'))
    const err = await openError(dir)
    expect(err.file).toBe(path.join(dir, 'MANIFEST'))
    const db = await openStore(dir, { salvage: true })
    expect(db.revision).toBe(40)
    expect(deepEqual(db.get(), streamAt(40))).toBe(true)
    expect(db.recovery.dropped.map((d) => path.basename(d.file))).toEqual(['MANIFEST'])
    await db.close()
    const again = await openStore(dir) // salvage wrote a clean generation and its MANIFEST
    expect(again.revision).toBe(40)
    await again.close()
  })

  it('a log cut at a record boundary after a clean close: CorruptionError (MANIFEST holds the acknowledged length)', async () => {
    const dir = await written(20, undefined, 'batch')
    const log = only(dir, '.log')
    const records = logRecords(log)
    const lastRevision = records.filter((r) => r.kind === 'revision').at(-1)!
    fs.truncateSync(log, lastRevision.offset) // whole records only: no torn bytes to see
    const err = await openError(dir)
    expect(err.file).toBe(log)
    expect(err.message).toMatch(/MANIFEST says \d+ were acknowledged/)
    const db = await openStore(dir, { salvage: true })
    expect(db.revision).toBe(19)
    expect(db.recovery.dropped).toHaveLength(1)
    await db.close()
  })

  it('a bit flip in the last acknowledged record after a kill: CorruptionError (a commit mark follows), not a torn tail', async () => {
    const { dir, acked: ackedId } = await killedAfterAck(30)
    const log = only(dir, '.log')
    const records = logRecords(log)
    expect(ackedId).toBeGreaterThan(0)
    const target = records.find((r) => r.kind === 'revision' && r.id === ackedId)!
    flip(log, target.offset + 6)
    const err = await openError(dir)
    expect(err.file).toBe(log)
    expect(err.offset).toBe(target.offset)
    expect(err.message).toMatch(/commit mark follows/)
    const db = await openStore(dir, { salvage: true })
    expect(db.revision).toBe(target.id! - 1)
    expect(db.recovery.dropped[0]).toMatchObject({ file: log, offset: target.offset })
    await db.close()
  })

  it('a bit flip in a record no commit mark follows (written, never acknowledged) is a torn tail: cut and reported', async () => {
    const dir = fresh()
    const run = await runWriter({ dir, seed: 7, crash: 'after-append:4', stopAt: 100_000, maxRecords: 1e9 })
    expect(run.signal).toBe('SIGKILL')
    const log = only(dir, '.log')
    const records = logRecords(log)
    const last = records.at(-1)!
    expect(last.kind).toBe('revision') // killed after the write, before its fsync and mark
    expect(last.id).toBeGreaterThan(run.acked)
    flip(log, last.offset + 6)
    const db = await openStore(dir, { value: initialValue })
    expect(db.revision).toBe(last.id! - 1)
    expect(db.revision).toBeGreaterThanOrEqual(run.acked)
    expect(db.recovery.truncated).toEqual([{ file: log, offset: last.offset, bytes: last.end - last.offset }])
    await db.close()
  })

  it('a log whose rotate mark is cut off is still followed: the next log is kept, and its records prove damage before them acknowledged', async () => {
    const dir = fresh()
    const run = await runWriter({ dir, seed: 9, crash: 'snapshot-temp-written:2', stopAt: 100_000, maxRecords: 60 })
    expect(run.signal).toBe('SIGKILL')
    const first = path.join(dir, '0000000001.log')
    const records = logRecords(first)
    const lastRevision = records.filter((r) => r.kind === 'revision').at(-1)!
    expect(records.at(-1)!.offset).toBeGreaterThan(lastRevision.offset) // marks follow it
    expect(logRecords(path.join(dir, '0000000002.log')).some((r) => r.kind === 'revision')).toBe(true)
    fs.truncateSync(first, lastRevision.end) // the rotate and commit marks are gone, no revision is
    const copy = fresh()
    fs.cpSync(dir, copy, { recursive: true })
    const db = await openStore(dir, { value: initialValue })
    expect(db.revision).toBeGreaterThanOrEqual(run.acked)
    expect(deepEqual(db.get(), streamAt(db.revision))).toBe(true)
    await db.close()
    flip(path.join(copy, '0000000001.log'), lastRevision.offset + 6)
    const err = await openError(copy)
    expect(err).toMatchObject({ file: path.join(copy, '0000000001.log'), offset: lastRevision.offset })
    expect(err.message).toMatch(/valid records follow/)
  })

  it('a missing log that a rotate mark names: CorruptionError naming it', async () => {
    const dir = fresh()
    const run = await runWriter({ dir, seed: 9, crash: 'snapshot-temp-written:2', stopAt: 100_000, maxRecords: 60 })
    expect(run.signal).toBe('SIGKILL')
    const next = path.join(dir, '0000000002.log')
    expect(logRecords(path.join(dir, '0000000001.log')).some((r) => r.kind === 'rotate')).toBe(true)
    fs.rmSync(next)
    const err = await openError(dir)
    expect(err.file).toBe(next)
    expect(err.message).toMatch(/0000000001\.log continues into it/)
    const db = await openStore(dir, { salvage: true })
    expect(db.revision).toBeGreaterThanOrEqual(60)
    expect(db.recovery.dropped.map((d) => d.file)).toEqual([next])
    await db.close()
  })
})
