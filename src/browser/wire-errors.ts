// Errors cross tabs as plain data (structured clone drops their class): a refused patch
// comes back to the follower as the PatchError or LimitError the writer threw.
import { PatchError } from 'patchdb'
import { LimitError } from './errors'
import type { WireError } from './messages'

export function toWire(e: unknown): WireError {
  if (e instanceof PatchError) return { name: e.name, message: e.message, code: e.code, index: e.index, path: e.path }
  if (e instanceof LimitError) return { name: e.name, message: e.message, code: e.limit }
  return { name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) }
}

/** Rebuilds the writer's error: a PatchError or LimitError when it was one, so callers can switch on them. */
export function fromWire(e: WireError): Error {
  if (e.name === 'PatchError' && e.code) {
    const error = new PatchError(e.code as PatchError['code'], e.message, -1, e.path ?? '')
    Object.defineProperty(error, 'index', { value: e.index ?? -1 })
    return error
  }
  if (e.name === 'LimitError' && e.code) return new LimitError(e.code, e.message)
  return new Error(`patchdb/browser: the writer refused the patch: ${e.message}`)
}
