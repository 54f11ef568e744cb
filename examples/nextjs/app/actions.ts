'use server'
import { revalidatePath } from 'next/cache'
import { getDb } from '../lib/db'

/** A Server Action: removes the done todos on the server, then re-renders the layout. */
export async function clearCompleted(): Promise<void> {
  const db = await getDb()
  db.transact((tx) => tx.set('/todos', tx.get('/todos').filter((todo) => !todo.done)))
  await db.flush()
  // The layout renders again with the newer dump; <PatchProvider> hands it to store.update.
  revalidatePath('/', 'layout')
}
