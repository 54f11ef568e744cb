/*
 * Which follower requests the writer has served, so that each is applied once: a replayed
 * submit is ignored. Followers number their requests at random (Outbox), so a forger who
 * hears them cannot take a request number before the tab uses it; per tab the last WINDOW
 * numbers are kept (a replay older than that is served again, as any forged write would be).
 */
const WINDOW = 1024
/** Tabs remembered; the least recently served are forgotten first. */
const TABS = 10_000

export class Served {
  readonly #tabs = new Map<string, Set<number>>()

  /** True the first time (`from`, `req`) is seen, which the caller then serves. */
  first(from: string, req: number): boolean {
    const reqs = this.#tabs.get(from) ?? new Set<number>()
    if (reqs.has(req)) return false
    reqs.add(req)
    if (reqs.size > WINDOW) reqs.delete(reqs.values().next().value!)
    this.#tabs.delete(from) // re-inserted last
    this.#tabs.set(from, reqs)
    if (this.#tabs.size > TABS) this.#tabs.delete(this.#tabs.keys().next().value!)
    return true
  }
}
