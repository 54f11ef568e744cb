import fs from 'node:fs'
import path from 'node:path'
import { LockedError } from './errors'
import { LOCK } from './files'

/*
 * One process, one opener per directory.
 *
 * - In this process: a set of the real paths held.
 * - Across processes: `LOCK` holds the owner's pid. It is created with its content already
 *   in it (write a private temp file, then link() it to `LOCK`, which fails if `LOCK`
 *   exists), so nobody ever sees an empty lock of a live owner.
 * - A lock whose pid is not alive is stale (its process was killed). Taking it over is done
 *   under a second lock, `LOCK.takeover`, created the same way: the holder re-reads `LOCK`,
 *   and only if its owner is still dead unlinks it and links its own. Two processes that
 *   both saw the stale lock cannot both win, and a fresh opener that wins the race to an
 *   empty slot is seen alive by the taker's re-check. The takeover lock is held for a few
 *   syscalls; if its own holder died there, it is stale too and removed.
 * - A pid reused by an unrelated process makes the lock look alive: a false LockedError,
 *   the safe direction; its message names the pid.
 */
const held = new Set<string>()

const alive = (pid: number): boolean => {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The pid in a lock file; 0 when it is gone or unreadable (no live owner wrote it). */
const ownerOf = (file: string): number => {
  try {
    const pid = Number(fs.readFileSync(file, 'latin1').trim())
    return Number.isSafeInteger(pid) && pid > 0 ? pid : 0
  } catch {
    return 0
  }
}

/** Creates `file` holding our pid, atomically; false if it exists. */
function createWithPid(file: string): boolean {
  const temp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(temp, `${process.pid}\n`)
  try {
    fs.linkSync(temp, file)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw e
  } finally {
    fs.rmSync(temp, { force: true })
  }
}

/** Takes the lock of `dir` (a real path) or throws LockedError; returns its release. */
export function acquireLock(dir: string): () => void {
  if (held.has(dir)) throw new LockedError(dir, process.pid)
  const lock = path.join(dir, LOCK)
  // Our own pid in a lock we do not hold is a stale lock of a dead process that had our pid.
  const live = (pid: number) => pid !== 0 && (pid === process.pid ? held.has(dir) : alive(pid))
  if (!createWithPid(lock)) {
    const owner = ownerOf(lock)
    if (live(owner)) throw new LockedError(dir, owner)
    const mutex = `${lock}.takeover`
    if (!createWithPid(mutex)) {
      const taker = ownerOf(mutex)
      if (live(taker)) throw new LockedError(dir, taker)
      fs.rmSync(mutex, { force: true })
      if (!createWithPid(mutex)) throw new LockedError(dir, ownerOf(mutex))
    }
    try {
      const again = ownerOf(lock)
      if (live(again)) throw new LockedError(dir, again)
      fs.rmSync(lock, { force: true })
      if (!createWithPid(lock)) throw new LockedError(dir, ownerOf(lock))
    } finally {
      fs.rmSync(mutex, { force: true })
    }
  }
  held.add(dir)
  return () => {
    if (!held.delete(dir)) return
    if (ownerOf(lock) === process.pid) fs.rmSync(lock, { force: true })
  }
}
