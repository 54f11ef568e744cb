/**
 * Named crash points for the crash tests, as etch has them: PATCHDB_CRASH=name kills this
 * process with SIGKILL the first time it reaches `name`; PATCHDB_CRASH=name:n the n-th time.
 * Unset (always, outside tests), a crash point costs one comparison.
 */
export type CrashPoint =
  | 'after-append' // log bytes written, not yet fsynced
  | 'torn-write' // half of a group of records written
  | 'snapshot-temp-written' // snapshot temp file written and fsynced, not yet renamed
  | 'after-rename' // snapshot renamed into place, directory not yet fsynced
  | 'manifest-temp-written' // MANIFEST temp file written and fsynced, not yet renamed
  | 'manifest-renamed' // MANIFEST renamed into place, directory not yet fsynced

const spec = process.env.PATCHDB_CRASH
const [armed, nth] = spec ? [spec.split(':')[0], Number(spec.split(':')[1] ?? 1)] : [undefined, 0]
let hits = 0

/** Crashes here if armed for `name`, after running `before` (the damage the crash leaves). */
export function crashPoint(name: CrashPoint, before?: () => void): void {
  if (armed !== name || ++hits !== nth) return
  before?.()
  process.kill(process.pid, 'SIGKILL')
}
