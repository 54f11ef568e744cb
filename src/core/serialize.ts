import { PatchError } from './errors'
import type { Dump } from './patch'

// `<` covers `</script>` and `<!--`; `>` and `&` are for HTML parsers that look further;
// U+2028/2029 end lines in older JavaScript. All occur only inside JSON strings, where
// a `\uXXXX` escape is the same character, so the output stays JSON and round-trips.
const UNSAFE = /[<>&\u2028\u2029]/g
const escape = (c: string) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')

/**
 * A dump as a JSON string that is safe inside an inline `<script>`:
 * `<script>window.__PATCHDB__ = ${serializeDump(store.dump())}</script>`.
 * In the core (not `patchdb/react`, whose exports are client references under React
 * Server Components) so that server code can call it.
 */
export function serializeDump(dump: Dump<unknown>): string {
  if (!Number.isSafeInteger(dump.id) || dump.id < 0) throw new PatchError('OPERATION_INVALID', `a dump id must be a whole number >= 0, got ${dump.id}`)
  if (dump.value === undefined) throw new PatchError('VALUE_INVALID', 'a dump needs a value')
  return JSON.stringify({ id: dump.id, value: dump.value }).replace(UNSAFE, escape)
}
