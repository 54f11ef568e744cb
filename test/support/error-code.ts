import { PatchError } from 'patchdb'

/** The code of the PatchError `fn` throws, 'no error', or what else it threw (so a wrong kind of error fails the assertion). */
export function errorCode(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    return e instanceof PatchError ? e.code : `not a PatchError: ${String(e)}`
  }
  return 'no error'
}
