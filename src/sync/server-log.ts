import type { JsonValue, Patch, Revision, Store } from 'patchdb'

/**
 * What the sync server needs of its history, kept this small so that another backend
 * (PostgreSQL, shared by several server processes) can stand in for a store.
 */
export interface RevisionLog {
  /** The id of the newest revision appended (durable or not): what `append` expects. */
  head(): number
  /** The document at `head()`. */
  read(): JsonValue
  /**
   * Appends `patch` as revision `expected + 1`, atomically: it applies whole or not at all.
   * Rejects with a `PatchError` when it does not apply, with a `LogConflictError` when the
   * head is no longer `expected` (another writer came first). Resolves with the revision, or
   * null when the patch changed nothing.
   */
  append(expected: number, patch: Patch): Promise<Revision | null>
  /** Resolves when every revision appended so far is durable. */
  durable(): Promise<void>
  /** Revisions with `id > since` up to the newest, oldest first; null when the log no longer reaches back to `since + 1`. */
  since(since: number): readonly Revision[] | null
  /** The document at revision `id`, or undefined when it is no longer known. */
  valueAt(id: number): JsonValue | undefined
  /**
   * Calls `fn` with each revision once it is durable, in id order, with the document before
   * and after it. Returns the unsubscribe function.
   */
  follow(fn: (entry: Published) => void, onError: (error: unknown) => void): () => void
}

/** A durable revision, with the documents before and after it (shared structure, never copied). */
export interface Published {
  readonly revision: Revision
  readonly before: JsonValue
  readonly after: JsonValue
}

/** `append` found the head moved: read again and retry. */
export class LogConflictError extends Error {
  override readonly name = 'LogConflictError'
}

/** A store of `patchdb/node` (or anything with `flush`): revisions are durable once flushed. */
type Flushable = { flush(): Promise<void> }
const isFlushable = (s: object): s is Flushable => typeof (s as Partial<Flushable>).flush === 'function'

/**
 * The log of a store in this process: a core store (revisions are "durable" at once) or a
 * durable `openStore` store, whose revisions are published only after `flush()` confirms
 * them, so no client ever sees a revision a crash could take back. `since` reads the store's
 * retained history, which a durable store rebuilds from its log on disk when it reopens.
 */
export function storeLog(store: Store<any>): RevisionLog {
  const durable = isFlushable(store) ? store : undefined
  return {
    head: () => store.revision,
    read: () => store.get() as JsonValue,
    async append(expected, patch) {
      if (store.revision !== expected) throw new LogConflictError(`the log is at revision ${store.revision}, not ${expected}`)
      return store.apply(patch)
    },
    durable: () => (durable ? durable.flush() : Promise.resolve()),
    since(since) {
      if (since >= store.revision) return since === store.revision ? [] : null
      const entries = store.log(since)
      if (entries.length === 0 || entries[0]!.id !== since + 1) return null
      return entries.map((e) => ({ id: e.id, patch: e.patch }))
    },
    valueAt(id) {
      if (id === store.revision) return store.get() as JsonValue
      try {
        return store.valueAt(id) as JsonValue
      } catch {
        return undefined // not retained
      }
    },
    follow(fn, onError) {
      let last = store.get() as JsonValue
      // Revisions waiting for a flush, oldest first; published in order as flushes confirm them.
      const waiting: Published[] = []
      const publish = (upTo: number) => {
        while (waiting.length > 0 && waiting[0]!.revision.id <= upTo) fn(waiting.shift()!)
      }
      return store.subscribe((revision) => {
        // A watcher may have written again before this subscriber ran: take the value of this revision.
        const after = (store.revision === revision.id ? store.get() : store.valueAt(revision.id)) as JsonValue
        const entry = { revision: { id: revision.id, patch: revision.patch }, before: last, after }
        last = after
        if (!durable) return fn(entry)
        waiting.push(entry)
        durable.flush().then(() => publish(revision.id), onError)
      })
    },
  }
}
