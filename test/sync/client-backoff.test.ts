import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { backoffDelay } from 'patchdb/client'

describe('reconnect backoff', () => {
  it('full jitter: each delay is uniform in [0, min(max, base * 2^attempt))', () => {
    fc.assert(
      fc.property(fc.nat({ max: 80 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 120_000 }), (attempt, r, base, max) => {
        const d = backoffDelay(attempt, { base, max, random: () => r })
        const ceiling = Math.min(max, base * 2 ** attempt)
        expect(Number.isInteger(d)).toBe(true)
        expect(d).toBeGreaterThanOrEqual(0)
        expect(d).toBeLessThan(Math.max(1, ceiling))
        expect(d).toBe(Math.floor(r * ceiling))
      }),
    )
  })

  it('1,000 clients dropped together spread their reconnects over the whole window instead of arriving at once', () => {
    const delays = Array.from({ length: 1000 }, () => backoffDelay(6)) // ceiling 250 * 64 = 16 s
    const buckets = new Array(16).fill(0)
    for (const d of delays) buckets[Math.floor(d / 1000)]++
    // Uniform: about 62 a second; none of the 16 seconds gets more than twice that.
    expect(Math.max(...buckets)).toBeLessThan(125)
    expect(Math.min(...buckets)).toBeGreaterThan(20)
  })
})
