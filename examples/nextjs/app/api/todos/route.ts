import { PatchError } from 'patchdb'
import { getDb } from '../../../lib/db'
import { toTodoPatch } from '../../../lib/todo-patch'

export const dynamic = 'force-dynamic'

const MAX_BODY = 16 * 1024

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
  const text = await request.text()
  if (text.length > MAX_BODY) return Response.json({ error: 'body too large' }, { status: 413 })
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
    const revision = db.apply(patch)
    await db.flush()
    return Response.json({ revision })
  } catch (error) {
    if (error instanceof PatchError) return Response.json({ error: error.message, code: error.code }, { status: 409 })
    throw error
  }
}
