/*
 * A follower's writes on their way to the writer tab. Every one settles: resolved once this
 * tab shows the revision the writer answered with (read back from IndexedDB), rejected with
 * the writer's refusal, with WriterChangedError when the writer it went to is no longer the
 * one IndexedDB names, or with TimeoutError after `timeout` ms, whatever other tabs post.
 */
import type { Patch, Revision } from 'patchdb'
import { TimeoutError, WriterChangedError } from './errors'
import { startTimer } from './timer'

interface Entry {
  req: number
  patch: Patch
  /** The writer it was sent to; null while no writer is known. */
  to: string | null
  /** The revision id the writer confirmed, once it did. */
  confirmed: number | null
  resolve(r: Revision | null): void
  reject(e: unknown): void
}

/**
 * A request number no other script can guess before it is sent (53 random bits), so a forged
 * submit cannot take it first (the writer serves each number once: Served).
 */
function randomReq(): number {
  const [high, low] = crypto.getRandomValues(new Uint32Array(2))
  return (high! >>> 11) * 2 ** 32 + low!
}

export class Outbox {
  readonly #entries = new Map<number, Entry>()

  constructor(
    private readonly timeout: number,
    /** Posts the submit message for `entry` to the writer `to`. */
    private readonly send: (to: string, req: number, patch: Patch) => void,
  ) {}

  get size(): number {
    return this.#entries.size
  }

  /** Queues `patch` for `writer` (sent now when known); settles as described above. */
  add(patch: Patch, writer: string | null): Promise<Revision | null> {
    return new Promise((resolve, reject) => {
      let req = randomReq()
      while (this.#entries.has(req)) req = randomReq()
      const cancel = startTimer(() => {
        if (!this.#entries.delete(req)) return
        const what = entry.confirmed === null ? 'confirmed by the writer tab' : `read back from IndexedDB (the writer confirmed revision ${entry.confirmed})`
        reject(new TimeoutError(`patchdb/browser: a forwarded write was not ${what} within ${this.timeout} ms; it may or may not be applied`))
      }, this.timeout)
      const done = () => {
        cancel()
        this.#entries.delete(req)
      }
      const entry: Entry = {
        req,
        patch,
        to: null,
        confirmed: null,
        resolve: (r) => (done(), resolve(r)),
        reject: (e) => (done(), reject(e)),
      }
      this.#entries.set(req, entry)
      if (writer) this.#send(entry, writer)
    })
  }

  /**
   * The writer IndexedDB names is now `writer`: unconfirmed writes sent to another one can
   * no longer be confirmed (they may or may not be applied); unsent ones go to this one.
   */
  writerIs(writer: string | null): void {
    for (const e of [...this.#entries.values()]) {
      if (e.confirmed !== null) continue
      if (e.to !== null && e.to !== writer) e.reject(new WriterChangedError('patchdb/browser: the writer tab changed before confirming this write; it may or may not be applied'))
      else if (e.to === null && writer) this.#send(e, writer)
    }
  }

  /** Unsent writes, taken out to be applied by this tab, which became the writer. */
  takeUnsent(): { patch: Patch; settle(p: Promise<Revision | null>): void }[] {
    return [...this.#entries.values()]
      .filter((e) => e.to === null)
      .map((e) => {
        this.#entries.delete(e.req)
        return { patch: e.patch, settle: (p) => void p.then(e.resolve, e.reject) }
      })
  }

  /**
   * The writer `from` answered `req`: `error` rejects it, a null revision resolves it (no
   * change), else it waits until this tab shows `revision` (see `reached`). Answers from
   * any other tab than the one the write went to are ignored. Returns the revision to read.
   */
  answered(from: string, req: number, revision: number | null, error: Error | null): number | null {
    const e = this.#entries.get(req)
    if (!e || e.to !== from || e.confirmed !== null) return null
    if (error) e.reject(error)
    else if (revision === null) e.resolve(null)
    else {
      e.confirmed = revision
      return revision
    }
    return null
  }

  /** This tab shows revision `current`: confirmed writes up to it resolve, with `patchOf(id)` or the patch sent. */
  reached(current: number, patchOf: (id: number) => Patch | undefined): void {
    for (const e of [...this.#entries.values()]) {
      if (e.confirmed !== null && e.confirmed <= current) e.resolve({ id: e.confirmed, patch: patchOf(e.confirmed) ?? e.patch })
    }
  }

  /** Rejects the writes `which` selects. */
  reject(which: (sent: boolean) => boolean, error: () => Error): void {
    for (const e of [...this.#entries.values()]) if (which(e.to !== null)) e.reject(error())
  }

  #send(e: Entry, to: string): void {
    e.to = to
    this.send(to, e.req, e.patch)
  }
}
