import type { Patch } from 'patchdb'

// What the route handler accepts from a browser (untrusted): small patches of the list of
// todos, in the shapes the client sends. The store then checks the patch itself (atomic,
// `test` operations, plain JSON) against the current document.
const MAX_OPS = 8
const TODO = String.raw`/todos/(?:0|[1-9]\d{0,5})`
const AT_INDEX = new RegExp(`^${TODO}$`)
const AT_ID = new RegExp(`^${TODO}/id$`)
const AT_FIELD = new RegExp(`^${TODO}/(?:title|done)$`)
const ID = /^[\w-]{1,64}$/

const isId = (v: unknown) => typeof v === 'string' && ID.test(v)
const isTitle = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 200
const isTodo = (v: unknown) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const { id, title, done, ...rest } = v as Record<string, unknown>
  return isId(id) && isTitle(title) && typeof done === 'boolean' && Object.keys(rest).length === 0
}

function isAllowed(op: unknown): boolean {
  if (typeof op !== 'object' || op === null) return false
  const { op: kind, path, value, ...rest } = op as Record<string, unknown>
  if (typeof path !== 'string' || Object.keys(rest).length > 0) return false
  switch (kind) {
    case 'add':
      return (path === '/todos/-' || AT_INDEX.test(path)) && isTodo(value)
    case 'remove':
      return AT_INDEX.test(path) && value === undefined
    case 'replace':
      return AT_FIELD.test(path) && (path.endsWith('/done') ? typeof value === 'boolean' : isTitle(value))
    case 'test':
      return AT_ID.test(path) && isId(value)
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
