import type { Patch } from 'patchdb'

// What the route handler accepts from a browser (untrusted): small patches of the list of
// todos, in the shapes the client sends. The store then checks the patch itself (atomic,
// `test` operations, plain JSON) against the current document.
const MAX_OPS = 8
const INDEX = /^\/todos\/(?:0|[1-9]\d{0,5})$/
const FIELD = /^\/todos\/(?:0|[1-9]\d{0,5})\/(?:id|title|done)$/

const isText = (v: unknown, max: number) => typeof v === 'string' && v.length > 0 && v.length <= max
const isTodo = (v: unknown) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const { id, title, done, ...rest } = v as Record<string, unknown>
  return isText(id, 64) && isText(title, 200) && typeof done === 'boolean' && Object.keys(rest).length === 0
}
const fieldValue = (path: string, v: unknown) => (path.endsWith('/done') ? typeof v === 'boolean' : isText(v, path.endsWith('/id') ? 64 : 200))

function isAllowed(op: unknown): boolean {
  if (typeof op !== 'object' || op === null) return false
  const { op: kind, path, value } = op as Record<string, unknown>
  if (typeof path !== 'string') return false
  switch (kind) {
    case 'add':
      return (path === '/todos/-' || INDEX.test(path)) && isTodo(value)
    case 'remove':
      return INDEX.test(path) && !('value' in op)
    case 'replace':
    case 'test':
      return FIELD.test(path) && fieldValue(path, value)
    default:
      return false
  }
}

/** The body as a patch of todos, or an Error saying why not. */
export function toTodoPatch(body: unknown): Patch | Error {
  if (!Array.isArray(body) || body.length === 0 || body.length > MAX_OPS) return new Error(`a patch of 1 to ${MAX_OPS} operations`)
  const bad = body.findIndex((op) => !isAllowed(op))
  return bad === -1 ? (body as Patch) : new Error(`operation ${bad} is not a change to a todo`)
}
