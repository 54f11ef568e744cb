import fs from 'node:fs'
import path from 'node:path'

/*
 * Directory layout. Files are grouped in generations: `<gen>.snap` is the document at some
 * revision, `<gen>.log` the revisions after it. Compaction starts generation g+1 by opening
 * `<g+1>.log` (new appends go there at once), then writes `<g+1>.snap`; until that snapshot
 * is durable, recovery still reads `<g>.snap` + `<g>.log` + `<g+1>.log`. Recovery uses the
 * newest snapshot and every log of its generation or later; older files are obsolete.
 *
 *   LOCK                the pid of the process that has the store open
 *   0000000007.snap     snapshot (see snapshot.ts)
 *   0000000007.log      log records (see codec.ts)
 *   <gen>.snap.tmp      a snapshot being written; never read, removed on open
 */
export const LOCK = 'LOCK'
const GEN = /^(\d{10})\.(snap|log)$/

export const snapName = (gen: number) => `${String(gen).padStart(10, '0')}.snap`
export const logName = (gen: number) => `${String(gen).padStart(10, '0')}.log`

export interface Listing {
  snaps: number[] // generations, newest first
  logs: number[] // generations, oldest first
  temps: string[]
}

export function listDir(dir: string): Listing {
  const out: Listing = { snaps: [], logs: [], temps: [] }
  for (const name of fs.readdirSync(dir)) {
    const m = GEN.exec(name)
    if (m) (m[2] === 'snap' ? out.snaps : out.logs).push(Number(m[1]))
    else if (name.endsWith('.snap.tmp')) out.temps.push(name)
  }
  out.snaps.sort((a, b) => b - a)
  out.logs.sort((a, b) => a - b)
  return out
}

/** Makes renames, creations and deletions in `dir` durable (a file's fsync does not). */
export function fsyncDirSync(dir: string): void {
  const fd = fs.openSync(dir, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Removes files of generations older than `gen`: only ever after `<gen>.snap` is durable. */
export function removeObsolete(dir: string, gen: number): void {
  const { snaps, logs, temps } = listDir(dir)
  const doomed = [
    ...snaps.filter((g) => g < gen).map(snapName),
    ...logs.filter((g) => g < gen).map(logName),
    ...temps,
  ]
  for (const name of doomed) fs.rmSync(path.join(dir, name), { force: true })
}
