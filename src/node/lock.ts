import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { LockedError } from './errors'
import { LOCK } from './files'

/*
 * One opener per directory, across processes, threads and copies of this module.
 *
 * - `LOCK` names its owner: pid, the process's start (Linux: boot id and start time, so a
 *   pid reused after a restart is another process), and the token of the owner's registry.
 *   It is created with its content already in it (write a private temp file, then link() it
 *   to `LOCK`, which fails if `LOCK` exists), so nobody ever sees an empty lock of a live owner.
 * - The registry of held directories lives on globalThis, not in this module: a bundler can
 *   load patchdb/node twice in one process (Next.js does), and two module-level registries
 *   let the second copy take the first's lock for stale. Every copy in a thread shares it.
 * - A lock naming this process is never stale, unless it carries this registry's token and
 *   the registry says it is not held (closed, or left by a failed release). Without the
 *   token it may be another thread's or a copy's that cannot share the registry: live.
 * - A lock of another pid is stale when that pid is not alive, or of our pid with another
 *   process start (a dead process that had our pid, as after a container restart). Taking
 *   it over is done under a second lock, `LOCK.takeover`, created the same way: the holder
 *   re-reads `LOCK`, and only if its owner is still dead unlinks it and links its own. Two
 *   processes that both saw the stale lock cannot both win, and a fresh opener that wins the
 *   race to an empty slot is seen alive by the taker's re-check.
 * - A pid reused by an unrelated live process makes the lock look alive: a false
 *   LockedError, the safe direction; its message names the pid.
 * - Pids are those of one host (one pid namespace): processes in two containers sharing a
 *   directory cannot see each other.
 */

/** Held directories (real paths) of every copy of patchdb/node in this thread. */
interface Registry {
  /** The shape's version: a copy that finds a shape it does not know works without it. */
  readonly version: 1
  /** Names this registry's locks; '' for a copy working without the shared registry. */
  readonly token: string
  readonly held: Set<string>
}

const KEY = Symbol.for('patchdb.node.locks')
const TOKEN = /^[0-9a-f]{32}$/
/** Used only when globalThis holds something else under KEY: locks of this process are then always live. */
const isolated: Registry = { version: 1, token: '', held: new Set() }

function registry(): Registry {
  const global = globalThis as Record<symbol, unknown>
  if (!(KEY in global)) {
    const fresh: Registry = { version: 1, token: randomBytes(16).toString('hex'), held: new Set() }
    Object.defineProperty(global, KEY, { value: Object.freeze(fresh) }) // never replaced, never enumerated
  }
  try {
    const r = global[KEY] as Registry
    if (typeof r === 'object' && r !== null && r.version === 1 && TOKEN.test(r.token) && r.held instanceof Set) return r
  } catch {
    // a getter or proxy that throws: foreign
  }
  return isolated
}

let start: string | undefined
/** When this process started (Linux: boot id and start time in clock ticks); '' elsewhere. */
function processStart(): string {
  if (start !== undefined) return start
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'latin1')
    const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '' // field 22, starttime
    const boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim()
    start = /^\d+$/.test(ticks) ? `${boot}:${ticks}` : ''
  } catch {
    start = ''
  }
  return start
}

interface Owner {
  pid: number
  start: string
  token: string
}

/** The owner a lock file names; undefined when it is gone, unreadable or not a lock's content. */
function ownerOf(file: string): Owner | undefined {
  let text: string
  try {
    const fd = fs.openSync(file, 'r')
    try {
      const buf = Buffer.alloc(256) // a lock's content is short; the disk is not trusted
      text = buf.toString('latin1', 0, fs.readSync(fd, buf, 0, buf.length, 0))
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    return undefined
  }
  const [pid = '', start = '', token = ''] = text.split('\n')
  const n = Number(pid)
  return /^\d+$/.test(pid) && Number.isSafeInteger(n) && n > 0 ? { pid: n, start, token } : undefined
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Whether `owner` still holds its lock; `dir` is the directory for `LOCK`, undefined for `LOCK.takeover`. */
function live(owner: Owner | undefined, reg: Registry, dir?: string): boolean {
  if (!owner) return false
  if (owner.pid !== process.pid) return alive(owner.pid)
  const ours = processStart()
  if (owner.start && ours && owner.start !== ours) return false // a dead process that had our pid
  // Ours: held per the registry. A takeover of ours lives within one synchronous call: a leftover.
  if (reg.token && owner.token === reg.token) return dir !== undefined && reg.held.has(dir)
  return true
}

/** Creates `file` naming us, atomically; false if it exists. */
function create(file: string, reg: Registry): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  fs.writeFileSync(temp, `${process.pid}\n${processStart()}\n${reg.token}\n`, { flag: 'wx' })
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

/** Temp files of `create` (`LOCK.<pid>.tmp` before the random part was added) that a killed process left. */
const LOCK_TEMP = /^LOCK(?:\.takeover)?\.(\d+)(?:\.[0-9a-f]+)?\.tmp$/

function removeStrayTemps(dir: string): void {
  try {
    for (const name of fs.readdirSync(dir)) {
      const pid = Number(LOCK_TEMP.exec(name)?.[1] ?? 0)
      // Only a dead pid's: a temp of ours may be another thread's, in the middle of `create`.
      if (pid > 0 && pid !== process.pid && !alive(pid)) fs.rmSync(path.join(dir, name), { force: true })
    }
  } catch {
    // Housekeeping only: a leftover temp is harmless, and the lock is already ours.
  }
}

/** Takes the lock of `dir` (a real path) or throws LockedError; returns its release. */
export function acquireLock(dir: string): () => void {
  const reg = registry()
  if (reg.held.has(dir)) throw new LockedError(dir, process.pid)
  const lock = path.join(dir, LOCK)
  if (!create(lock, reg)) {
    const owner = ownerOf(lock)
    if (live(owner, reg, dir)) throw new LockedError(dir, owner!.pid)
    const mutex = `${lock}.takeover`
    if (!create(mutex, reg)) {
      const taker = ownerOf(mutex)
      if (live(taker, reg)) throw new LockedError(dir, taker!.pid)
      fs.rmSync(mutex, { force: true })
      if (!create(mutex, reg)) throw new LockedError(dir, ownerOf(mutex)?.pid ?? 0)
    }
    try {
      const again = ownerOf(lock)
      if (live(again, reg, dir)) throw new LockedError(dir, again!.pid)
      fs.rmSync(lock, { force: true })
      if (!create(lock, reg)) throw new LockedError(dir, ownerOf(lock)?.pid ?? 0)
    } finally {
      fs.rmSync(mutex, { force: true })
    }
  }
  reg.held.add(dir)
  removeStrayTemps(dir)
  return () => {
    if (!reg.held.delete(dir)) return
    const owner = ownerOf(lock)
    if (owner?.pid === process.pid && owner.token === reg.token) fs.rmSync(lock, { force: true })
  }
}
