import type { Dump, Patch, Revision, Store } from 'patchdb'
import type { AppState } from './state'

/**
 * Writes go through the server: the client posts a patch and applies the revision the
 * server made of it with `store.update`, so the browser's store holds only the server's
 * revisions, under the server's ids. When the server refused the patch (409) or the store
 * missed a revision (a 'gap': another tab wrote), it takes the server's whole document.
 */
export async function send(store: Store<AppState>, patch: Patch): Promise<void> {
  const response = await fetch('/api/todos', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) })
  if (response.ok) {
    const { revision } = (await response.json()) as { revision: Revision | null }
    if (!revision || store.update(revision).status !== 'gap') return
  } else if (response.status !== 409) {
    throw new Error(`the server refused the patch: ${response.status} ${await response.text()}`)
  }
  const dump = (await (await fetch('/api/todos')).json()) as Dump<AppState>
  store.update(dump)
}
