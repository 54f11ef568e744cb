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
const lockFile = (dir: string) => path.join(dir, 'LOCK')
/** The pid a LOCK names: its first line. */
const lockPid = (dir: string) => Number(fs.readFileSync(lockFile(dir), 'latin1').split('\n')[0])
const lockedBy = (e: unknown) => (e instanceof LockedError ? e.pid : e)

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
    expect(lockPid(dir)).toBe(writer.pid) // left behind
    const db = await openStore(dir)
    expect(db.revision).toBeGreaterThanOrEqual(run.acked)
    expect(lockPid(dir)).toBe(process.pid)
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

  it('a lock naming this process is live unless it is ours and closed: a copy without the shared registry or another thread cannot be told from us', async () => {
    const dir = fresh()
    const db = await openStore(dir)
    const [pid, start, token] = fs.readFileSync(lockFile(dir), 'latin1').split('\n')
    expect([Number(pid), token]).toEqual([process.pid, expect.stringMatching(/^[0-9a-f]{32}$/)])
    await db.close()
    // No token (another thread's, or a copy that found something foreign on globalThis): live.
    fs.writeFileSync(lockFile(dir), `${pid}\n${start}\n\n`)
    expect(lockedBy(await openStore(dir).catch((e: unknown) => e))).toBe(process.pid)
    // Our token, but the registry says closed (its release failed to remove it): taken over.
    fs.writeFileSync(lockFile(dir), `${pid}\n${start}\n${token}\n`)
    const again = await openStore(dir)
    await again.close()
    expect(fs.existsSync(lockFile(dir))).toBe(false)
  })

  it('a lock naming our pid with another process start is stale: a dead process had our pid (a container restart)', async () => {
    const dir = fresh()
    fs.writeFileSync(lockFile(dir), `${process.pid}\n00000000-0000-0000-0000-000000000000:1\n${'ab'.repeat(16)}\n`)
    const db = await openStore(dir, { value: { ok: 1 } })
    expect(lockPid(dir)).toBe(process.pid)
    await db.close()
  })

  it('removes lock temp files that killed processes left, and keeps those of live processes', async () => {
    const dir = fresh()
    const dead = deadPid()
    const stray = [`LOCK.${dead}.tmp`, `LOCK.takeover.${dead}.tmp`, `LOCK.${dead}.0badc0de.tmp`]
    const kept = [`LOCK.${process.ppid}.tmp`, 'LOCK.notapid.tmp', 'LOCKED.tmp']
    for (const name of [...stray, ...kept]) fs.writeFileSync(path.join(dir, name), `${dead}\n`)
    const db = await openStore(dir)
    await db.close()
    const names = fs.readdirSync(dir)
    for (const name of stray) expect(names).not.toContain(name)
    for (const name of kept) expect(names).toContain(name)
  })
})
