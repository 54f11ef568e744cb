import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { LockedError, openStore } from 'patchdb/node'
import { beforeAll, describe, expect, it } from 'vitest'
import { startWriter, writerScript } from './fixtures/child'
import { dirs } from './fixtures/dirs'

const fresh = dirs('lock')
beforeAll(() => writerScript(), 60_000)

/** A pid that belonged to a process which has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!

describe('the directory lock', () => {
  it('refuses a second opener in the same process until the first closes', async () => {
    const dir = fresh()
    const db = await openStore(dir)
    const err = await openStore(dir).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LockedError)
    expect((err as LockedError).pid).toBe(process.pid)
    await db.close()
    expect(fs.existsSync(path.join(dir, 'LOCK'))).toBe(false)
    const again = await openStore(dir)
    await again.close()
  })

  it('refuses an opener while another process holds it, and takes over once that process is killed', async () => {
    const dir = fresh()
    const writer = await startWriter({ dir, seed: 3 })
    await writer.ready
    const err = await openStore(dir).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LockedError)
    expect((err as LockedError).pid).toBe(writer.pid)
    writer.kill()
    const run = await writer.done
    expect(run.signal).toBe('SIGKILL')
    expect(fs.readFileSync(path.join(dir, 'LOCK'), 'utf8').trim()).toBe(String(writer.pid)) // left behind
    const db = await openStore(dir)
    expect(db.revision).toBeGreaterThanOrEqual(run.acked)
    expect(fs.readFileSync(path.join(dir, 'LOCK'), 'utf8').trim()).toBe(String(process.pid))
    await db.close()
  })

  it('takes over a stale lock of a dead pid, an empty one, or a leftover takeover lock', async () => {
    for (const [lock, takeover] of [[`${deadPid()}\n`, undefined], ['', undefined], [`${deadPid()}\n`, `${deadPid()}\n`]] as const) {
      const dir = fresh()
      fs.writeFileSync(path.join(dir, 'LOCK'), lock)
      if (takeover) fs.writeFileSync(path.join(dir, 'LOCK.takeover'), takeover)
      const db = await openStore(dir, { value: { ok: 1 } })
      expect(db.get()).toEqual({ ok: 1 })
      expect(fs.existsSync(path.join(dir, 'LOCK.takeover'))).toBe(false)
      await db.close()
    }
  })

  it('a failed open releases the lock', async () => {
    const dir = fresh()
    fs.writeFileSync(path.join(dir, '0000000001.log'), 'junk')
    await expect(openStore(dir)).rejects.toThrow(/without any snapshot/)
    expect(fs.existsSync(path.join(dir, 'LOCK'))).toBe(false)
  })
})
