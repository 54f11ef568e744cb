/*
 * The one place where a write is checked against `limits`, whichever tab makes it: the
 * writer for its own writes and for the ones it serves, a follower before it forwards one.
 * What passes here is what every later open accepts (same limits in and out); the core
 * has already refused what is not plain JSON or nests too deep.
 */
import type { Patch } from 'patchdb'
import { LimitError } from './errors'
import { jsonLength, type BrowserLimits } from './options'

export class WriteLimits {
  /**
   * An upper bound on the document's JSON length, or -1 when unknown. Measuring the
   * document costs O(document), so it is measured only when the bound could pass the limit.
   */
  #bound = -1

  constructor(private readonly limits: BrowserLimits) {}

  /** The document was replaced (read from IndexedDB): its JSON length, or -1 when unknown. */
  reset(length: number): void {
    this.#bound = length
  }

  /** A revision read from IndexedDB was applied. */
  grow(patch: Patch): void {
    this.#bound = this.#grown(patch, jsonLength(patch))
  }

  /**
   * Checks the revision `patch` that makes the document `value`, and throws a LimitError
   * when it breaks a limit. Returns the patch's JSON length (for the persister) and the
   * document's new bound, which `commit` records once the revision is kept.
   */
  check(patch: Patch, value: unknown): { size: number; bound: number } {
    const max = this.limits.snapshotBytes
    const size = jsonLength(patch)
    if (size > max) throw this.tooLong('patch', size)
    let bound = this.#grown(patch, size)
    if (bound < 0 || bound > max) {
      bound = jsonLength(value)
      if (bound > max) throw this.tooLong('document', bound)
    }
    return { size, bound }
  }

  /** The error for a patch or document of JSON length `size`, over the limit. */
  tooLong(what: 'patch' | 'document', size: number): LimitError {
    const max = this.limits.snapshotBytes
    const is = what === 'patch' ? 'the patch is' : 'the document would be'
    return new LimitError('snapshotBytes', `patchdb/browser: ${is} ${size} long as JSON, over limits.snapshotBytes (${max})`)
  }

  commit(bound: number): void {
    this.#bound = bound
  }

  /**
   * Each op grows the document by at most its own JSON text (its path holds the key, its
   * value the value), except copy, whose source is not in the patch.
   */
  #grown(patch: Patch, size: number): number {
    if (this.#bound < 0 || size < 0 || patch.some((op) => op.op === 'copy')) return -1
    return this.#bound + size
  }
}
