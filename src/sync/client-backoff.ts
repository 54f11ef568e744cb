/** How the client waits between reconnects (see `backoffDelay`). */
export interface BackoffOptions {
  /** The first delay's ceiling, in ms. Default 250. */
  base?: number
  /** The ceiling no delay passes, in ms. Default 30,000. */
  max?: number
  /** A number in [0, 1): `Math.random` unless a test fixes it. */
  random?: () => number
}

/**
 * Exponential backoff with full jitter: the delay before reconnect attempt `attempt`
 * (0 for the first) is uniform in [0, min(max, base * 2^attempt)). Uniform from zero, not
 * around the ceiling, so that a thousand clients dropped by one server restart spread their
 * reconnects over the whole window instead of arriving together in waves.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.base ?? 250
  const max = options.max ?? 30_000
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 52))
  return Math.floor((options.random ?? Math.random)() * ceiling)
}

/** Checks backoff options once, at connectStore, so a typo fails there and not at the first outage. */
export function checkBackoff(options: BackoffOptions | undefined): BackoffOptions {
  const o = options ?? {}
  for (const key of ['base', 'max'] as const) {
    const v = o[key]
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) throw new TypeError(`backoff.${key} must be a number of ms >= 0, got ${String(v)}`)
  }
  if (o.random !== undefined && typeof o.random !== 'function') throw new TypeError('backoff.random must be a function')
  return o
}
