import { ASK_EVENT, SESSION_EVENT, type ChannelLike } from './channel'

/** The manager's view of which session the story shown renders with: an external store for useSyncExternalStore. */
export interface SessionFollower {
  get(): string | null
  subscribe(fn: () => void): () => void
}

/**
 * Follows the preview's announcements (one per story render; null for a story without a
 * store) and asks once for the current one, in case the preview rendered first.
 */
export function followSession(channel: ChannelLike): SessionFollower {
  let session: string | null = null
  const listeners = new Set<() => void>()
  channel.on(SESSION_EVENT, (data: unknown) => {
    const next = typeof data === 'object' && data !== null ? (data as { session?: unknown }).session : undefined
    if (next !== null && typeof next !== 'string') return
    if (next === session) return
    session = next
    for (const fn of [...listeners]) fn()
  })
  channel.emit(ASK_EVENT)
  return {
    get: () => session,
    subscribe(fn) {
      listeners.add(fn)
      return () => void listeners.delete(fn)
    },
  }
}
