/** setTimeout holds at most 2^31 - 1 ms; a longer delay would fire at once. */
const MAX_DELAY = 2 ** 31 - 1

/**
 * Calls `fn` after `ms` milliseconds; never for Infinity (no timeout), and after the longest
 * delay setTimeout can hold for a finite `ms` past it. Returns the cancel function.
 */
export function startTimer(fn: () => void, ms: number): () => void {
  if (ms === Infinity) return () => {}
  const timer = setTimeout(fn, Math.min(ms, MAX_DELAY))
  return () => clearTimeout(timer)
}
