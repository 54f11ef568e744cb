import fs from 'node:fs'
import { createStore, deepEqual } from 'patchdb'
import { openStore } from 'patchdb/node'
import { describe, expect, it } from 'vitest'
import { runWriter, tempDir, writerScript } from './fixtures/child'
import { initialValue, patchFor } from './fixtures/stream'

const LANES = 2 // concurrent writers, each in its own directory
const KILLS_PER_LANE = 110

/** The deterministic stream replayed in memory, extended (or rebuilt) to revision `id`. */
function replayer() {
  const start = () => createStore<unknown>({ value: initialValue }, { history: 0, freeze: false })
  let model = start()
  return (id: number) => {
    if (id < model.revision) model = start()
    while (model.revision < id) model.apply(patchFor(model.revision + 1))
    return model.get()
  }
}

/** Files only a kill in the middle of a compaction leaves: a temp snapshot or MANIFEST, or two generations. */
function midCompaction(dir: string): boolean {
  const names = fs.readdirSync(dir)
  return names.some((n) => n.endsWith('.tmp')) || names.filter((n) => n.endsWith('.log')).length > 1
}

/**
 * After a reopen and a clean close, whatever the kill left: MANIFEST, one snapshot, its log
 * and the logs after it (a compaction the kill interrupted before its snapshot), no temps.
 */
function settled(dir: string): boolean {
  const names = fs.readdirSync(dir).sort()
  const snaps = names.filter((n) => n.endsWith('.snap'))
  const logs = names.filter((n) => n.endsWith('.log'))
  return names.includes('MANIFEST') && snaps.length === 1 && logs[0] === snaps[0]!.replace('.snap', '.log') && names.length === logs.length + 2
}

async function lane(seed: number) {
  const dir = tempDir('kill')
  const replay = replayer()
  let recovered = 0
  let duringCompaction = 0
  for (let k = 0; k < KILLS_PER_LANE; k++) {
    const r = (Math.imul(seed + k, 2654435761) >>> 0) / 2 ** 32
    // Most kills land while the writer streams; some during its startup and recovery.
    const run = await runWriter({ dir, seed: seed * 1000 + k, killAfter: r < 0.85 ? Math.floor(r * 60) : 5 + Math.floor(r * 40), afterReady: r < 0.85, maxRecords: 150 })
    expect(run.signal, run.stderr).toBe('SIGKILL')
    if (midCompaction(dir)) duringCompaction++
    const db = await openStore(dir, { value: initialValue })
    try {
      // Every acknowledged revision is there, and nothing written is lost to a process kill.
      expect(db.revision).toBeGreaterThanOrEqual(run.acked)
      expect(db.revision).toBeGreaterThanOrEqual(recovered)
      recovered = db.revision
      // The document is exactly the deterministic stream up to the recovered revision.
      expect(deepEqual(db.get(), replay(db.revision)), `document at revision ${db.revision}`).toBe(true)
    } finally {
      await db.close()
    }
    expect(settled(dir), fs.readdirSync(dir).join(', ')).toBe(true)
  }
  fs.rmSync(dir, { recursive: true, force: true })
  return { recovered, duringCompaction }
}

describe('kill -9 of a writer with sync batch', () => {
  it(`loses no acknowledged revision over ${LANES * KILLS_PER_LANE} kills, some during compaction`, async () => {
    await writerScript()
    const lanes = await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i + 1)))
    for (const l of lanes) expect(l.recovered).toBeGreaterThan(KILLS_PER_LANE) // the writers made progress
    const total = lanes.reduce((n, l) => n + l.duringCompaction, 0)
    expect(total).toBeGreaterThan(0) // some kills landed during a compaction
  }, 240_000)
})
