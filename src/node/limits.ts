/**
 * Explicit bounds on what is read from disk, which is untrusted input: a damaged or hostile
 * length field must fail clearly, never allocate gigabytes. Override with `limits`.
 */
export interface Limits {
  /** Largest log record (one revision, CBOR). Default 64 MiB. */
  recordBytes: number
  /** Largest snapshot document (CBOR). Default 1 GiB. */
  snapshotBytes: number
  /** Largest log file replayed on open. Default 1 GiB; compaction keeps logs far smaller. */
  logBytes: number
}

const defaultLimits: Limits = { recordBytes: 64 << 20, snapshotBytes: 1 << 30, logBytes: 1 << 30 }

/** The `limits` option over the defaults, checked: each a whole number > 0 (NaN would turn a bound off). */
export function checkLimits(given: Partial<Limits> | undefined): Limits {
  const limits = { ...defaultLimits, ...given }
  for (const [key, n] of Object.entries(limits)) {
    if (!Number.isSafeInteger(n) || n <= 0) throw new TypeError(`patchdb: limits.${key} must be a whole number > 0, got ${String(n)}`)
  }
  return limits
}
