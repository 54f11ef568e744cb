import fs from 'node:fs'
import path from 'node:path'
import { crashPoint, type CrashPoint } from './crash'

/*
 * Directory layout (docs/storage-format.md has the whole format). Files are grouped in
 * generations: `<gen>.snap` is the document at some revision, `<gen>.log` the revisions
 * after it. Compaction starts generation g+1 by creating `<g+1>.log` (new appends go there
 * at once, and `<g>.log` ends with a rotate mark naming it), then writes `<g+1>.snap`, then
 * MANIFEST; until that snapshot is durable, recovery still reads `<g>.snap` + `<g>.log` +
 * `<g+1>.log`. Older generations are obsolete once MANIFEST names a newer one.
 *
 *   LOCK                who has the store open: pid, process start, registry token (lock.ts)
 *   LOCK.<pid>.<r>.tmp  a LOCK being created; one of a dead pid is removed on open
 *   MANIFEST            which generation is the base, and what must be there (manifest.ts)
 *   0000000007.snap     snapshot (see snapshot.ts)
 *   0000000007.log      log header and records (see log-file.ts, codec.ts)
 *   <name>.tmp          a snapshot or manifest being written; never read, removed on open
 */
export const LOCK = 'LOCK'
export const MANIFEST = 'MANIFEST'
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
    else if (name.endsWith('.snap.tmp') || name === `${MANIFEST}.tmp`) out.temps.push(name)
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

/**
 * Durably installs `bytes` as `dir/name`: temp file, fsync, rename, fsync of the directory.
 * Until the rename the old state is untouched; after the directory fsync the new file
 * survives a power cut. Only then may the caller delete what it replaces.
 */
export async function writeDurably(dir: string, name: string, bytes: Uint8Array, points: [CrashPoint, CrashPoint]): Promise<void> {
  const temp = path.join(dir, `${name}.tmp`)
  const handle = await fs.promises.open(temp, 'w')
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } catch (e) {
    await handle.close()
    await fs.promises.rm(temp, { force: true })
    throw e
  }
  await handle.close()
  crashPoint(points[0])
  await fs.promises.rename(temp, path.join(dir, name))
  crashPoint(points[1])
  await fsyncDir(dir)
}

/** Removes files of generations older than `gen`: only ever after MANIFEST names `gen`. */
export function removeObsolete(dir: string, gen: number): void {
  const { snaps, logs, temps } = listDir(dir)
  const doomed = [
    ...snaps.filter((g) => g < gen).map(snapName),
    ...logs.filter((g) => g < gen).map(logName),
    ...temps,
  ]
  for (const name of doomed) fs.rmSync(path.join(dir, name), { force: true })
}
