import { PatchError } from 'patchdb'
import { getDb } from '../../../lib/db'
import { toTodoPatch } from '../../../lib/todo-patch'

export const dynamic = 'force-dynamic'

const MAX_BODY = 16 * 1024

class DuplicateId extends Error {
  constructor() {
    super('two todos would have the same id')
  }
}

/** The whole document: what a client takes when it missed revisions or a patch was refused. */
export async function GET(): Promise<Response> {
  const db = await getDb()
  return Response.json(db.dump())
}

/**
 * A patch from a client. Answers with the revision it made (`null` when nothing changed)
 * once that is on disk, or 409 when the store refused it (the list moved under the client).
 */
export async function POST(request: Request): Promise<Response> {
  const text = await readAtMost(request, MAX_BODY)
  if (text === null) return Response.json({ error: 'body too large' }, { status: 413 })
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return Response.json({ error: 'not JSON' }, { status: 400 })
  }
  const patch = toTodoPatch(body)
  if (patch instanceof Error) return Response.json({ error: patch.message }, { status: 400 })
  const db = await getDb()
  try {
    // One revision, or none: a patch that would give two todos one id is undone whole.
    const revision = db.transact((tx) => {
      tx.apply(patch)
      const ids = tx.get('/todos').map((todo) => todo.id)
      if (new Set(ids).size !== ids.length) throw new DuplicateId()
    })
    await db.flush()
    return Response.json({ revision })
  } catch (error) {
    if (error instanceof PatchError || error instanceof DuplicateId) return Response.json({ error: error.message }, { status: 409 })
    throw error
  }
}

/** The body as text, or null past `max` bytes (read no further: the client is untrusted). */
async function readAtMost(request: Request, max: number): Promise<string | null> {
  const reader = request.body?.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (let read = await reader?.read(); read && !read.done; read = await reader!.read()) {
    size += read.value.byteLength
    if (size > max) {
      await reader!.cancel()
      return null
    }
    chunks.push(read.value)
  }
  return new TextDecoder().decode(Buffer.concat(chunks))
}
