import { PatchError } from './errors'
import { PointerCache } from './pointer-cache'

/** RFC 6901 pointer (`''`, `'/a/b~1c/0'`) or its tuple form (`['a', 'b/c', 0]`). */
export type Path = string | readonly (string | number)[]
export type Segments = readonly string[]

/** A budget of 2,000,000 characters (a few MB: some 30,000 short pointers); longer than 1,024, not kept. */
const cache = new PointerCache<Segments>(2_000_000, 1024)

/** Size of the cache of parsed pointers, which stays under `maxSize` whatever is parsed. */
export const pointerCacheStats = () => cache.stats()

/** Parses an RFC 6901 pointer into unescaped segments. Results are cached and frozen. */
export function parsePointer(pointer: string, index = -1): Segments {
  let segs = cache.get(pointer)
  if (segs) return segs
  if (typeof pointer !== 'string') {
    throw new PatchError('POINTER_INVALID', `pointer must be a string, got ${typeof pointer}`, index, String(pointer))
  }
  if (pointer !== '' && pointer[0] !== '/') {
    throw new PatchError('POINTER_INVALID', `pointer must be '' or start with '/'`, index, pointer)
  }
  const escaped = pointer.includes('~')
  if (escaped && /~[^01]|~$/.test(pointer)) {
    throw new PatchError('POINTER_INVALID', `'~' must be followed by 0 or 1`, index, pointer)
  }
  const parts = pointer === '' ? [] : pointer.slice(1).split('/')
  segs = Object.freeze(escaped ? parts.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')) : parts)
  cache.set(pointer, segs)
  return segs
}

const escape = (s: string) => (s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s)

export function formatPointer(segments: readonly (string | number)[]): string {
  let out = ''
  for (const s of segments) out += '/' + escape(String(s))
  return out
}

/** Segments of either form. */
export function toSegments(path: Path): Segments {
  return typeof path === 'string' ? parsePointer(path) : tuple(path).map(String)
}

export function toPointer(path: Path): string {
  return typeof path === 'string' ? (parsePointer(path), path) : formatPointer(tuple(path))
}

/** A tuple path, checked: strings and array indices only, so no object turns into '[object Object]'. */
function tuple(path: unknown): readonly (string | number)[] {
  if (!Array.isArray(path)) {
    throw new PatchError('POINTER_INVALID', `a path is a JSON pointer string or an array of segments, got ${path === null ? 'null' : typeof path}`)
  }
  for (const s of path) {
    if (typeof s !== 'string' && !(typeof s === 'number' && Number.isSafeInteger(s) && s >= 0)) {
      throw new PatchError('POINTER_INVALID', `a path segment is a string or an array index, got ${typeof s === 'number' ? s : typeof s}`)
    }
  }
  return path
}

/** Array index of a segment (RFC 6901: `0` or no leading zeros), or -1. */
export function parseIndex(seg: string): number {
  const n = seg.length
  if (n === 0 || n > 15) return -1
  if (n > 1 && seg.charCodeAt(0) === 48) return -1
  for (let i = 0; i < n; i++) {
    const c = seg.charCodeAt(i)
    if (c < 48 || c > 57) return -1
  }
  return +seg
}

/** True when `a` is `b` or one of its ancestors (`''` is everyone's ancestor). */
export function isPrefix(a: Segments, b: Segments): boolean {
  if (a.length > b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export const isAncestor = (a: Path, b: Path) => {
  const sa = toSegments(a)
  const sb = toSegments(b)
  return sa.length < sb.length && isPrefix(sa, sb)
}
export const isDescendant = (a: Path, b: Path) => isAncestor(b, a)
export const isSibling = (a: Path, b: Path) => {
  const sa = toSegments(a)
  const sb = toSegments(b)
  return sa.length > 0 && sa.length === sb.length && isPrefix(sa.slice(0, -1), sb) && sa[sa.length - 1] !== sb[sb.length - 1]
}

/**
 * `__proto__` is the one key whose assignment can swap an object's prototype, so it is
 * refused everywhere. `constructor` and `prototype` are ordinary own keys here: every read
 * goes through an own-property check, so they never resolve to inherited members.
 */
export const isUnsafeSegment = (s: string) => s === '__proto__'
