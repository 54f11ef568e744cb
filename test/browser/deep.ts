// Deep documents for the limit tests, built without recursion.
import { createStore, PatchError } from 'patchdb'

/** `n` nested objects: `{ a: { a: ... {} } }` (n = 0 gives null). */
export function nest(n: number): unknown {
  let v: unknown = n > 0 ? {} : null
  for (let i = 1; i < n; i++) v = { a: v }
  return v
}

/** The pointer of the innermost object of `nest(n)` placed at `base`. */
export const innermost = (base: string, n: number) => base + '/a'.repeat(Math.max(0, n - 1))

/** The core's document depth limit (containers, the root included), found by asking the core. */
export function depthLimit(): number {
  const accepts = (n: number) => {
    try {
      createStore({ value: nest(n) })
      return true
    } catch (e) {
      if (e instanceof PatchError) return false
      throw e
    }
  }
  let lo = 1
  let hi = 100_000
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (accepts(mid)) lo = mid
    else hi = mid - 1
  }
  return lo
}
