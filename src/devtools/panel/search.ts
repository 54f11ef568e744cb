import { formatPointer } from 'patchdb'

/**
 * Pointers of the nodes whose key, or whose value (a string, number, boolean or null),
 * contains `query`, case-insensitive; depth-first, stopping at `limit` matches so a
 * 100,000-row document does not freeze the panel on a one-letter query.
 */
export function searchDocument(doc: unknown, query: string, limit: number): string[] {
  const q = query.toLowerCase()
  const out: string[] = []
  const stack: { value: unknown; segs: (string | number)[] }[] = [{ value: doc, segs: [] }]
  while (stack.length > 0 && out.length < limit) {
    const { value, segs } = stack.pop()!
    const key = segs.length ? String(segs[segs.length - 1]) : ''
    const leaf = value === null || typeof value !== 'object'
    if ((segs.length && key.toLowerCase().includes(q)) || (leaf && String(value).toLowerCase().includes(q))) out.push(formatPointer(segs))
    if (leaf) continue
    const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value as object)
    for (let i = keys.length - 1; i >= 0; i--) stack.push({ value: (value as Record<string, unknown>)[keys[i]!], segs: [...segs, keys[i]!] })
  }
  return out
}
