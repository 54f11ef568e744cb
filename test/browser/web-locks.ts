/*
 * Node 20 has no navigator.locks. This is a double of the browser environment (not of
 * patchdb): the part of the Web Locks API that patchdb/browser uses, with its semantics:
 * exclusive locks granted in request order, `ifAvailable` (callback gets null when held),
 * `signal` (a queued request rejects with AbortError), release when the callback's
 * promise settles.
 */
type Callback = (lock: { name: string; mode: 'exclusive' } | null) => unknown

interface Queued {
  grant(): void
}

class InTestLockManager {
  private readonly held = new Set<string>()
  private readonly queues = new Map<string, Queued[]>()

  request(name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, callback: Callback): Promise<unknown> {
    const queue = this.queues.get(name) ?? []
    this.queues.set(name, queue)
    if (options.signal?.aborted) return Promise.reject(new DOMException('aborted', 'AbortError'))
    if (options.ifAvailable && (this.held.has(name) || queue.length > 0)) return Promise.resolve().then(() => callback(null))
    return new Promise((resolve, reject) => {
      const entry: Queued = {
        grant: () => {
          options.signal?.removeEventListener('abort', abort)
          this.held.add(name)
          Promise.resolve()
            .then(() => callback({ name, mode: 'exclusive' }))
            .then(resolve, reject)
            .finally(() => {
              this.held.delete(name)
              this.next(name)
            })
        },
      }
      const abort = () => {
        const i = queue.indexOf(entry)
        if (i >= 0) queue.splice(i, 1)
        reject(new DOMException('aborted', 'AbortError'))
      }
      options.signal?.addEventListener('abort', abort)
      queue.push(entry)
      if (!this.held.has(name) && queue.length === 1) this.next(name)
    })
  }

  private next(name: string): void {
    if (this.held.has(name)) return
    this.queues.get(name)?.shift()?.grant()
  }
}

/** Installs the double as navigator.locks when the runtime has none. */
export function installWebLocks(): void {
  const g = globalThis as { navigator?: { locks?: unknown } }
  if (g.navigator?.locks) return
  const locks = new InTestLockManager()
  if (g.navigator) Object.defineProperty(g.navigator, 'locks', { value: locks, configurable: true })
  else Object.defineProperty(globalThis, 'navigator', { value: { locks }, configurable: true })
}
