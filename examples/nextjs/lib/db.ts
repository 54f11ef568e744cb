import 'server-only'
import { openStore, type DurableStore } from 'patchdb/node'
import { initialState, type AppState } from './state'

// One durable store per process, kept on globalThis. Next can evaluate this module more than
// once in one process (separate server bundles, Fast Refresh re-running it in `next dev`);
// a module-level variable would then open the directory twice, and the second open is
// refused (LockedError). A Symbol.for key is the same in every copy.
const KEY = Symbol.for('patchdb.example.nextjs.db')
type Holder = { [KEY]?: Promise<DurableStore<AppState>> }

/** The server's store: `PATCHDB_DIR`, or `.data` in the app's directory. */
export function getDb(): Promise<DurableStore<AppState>> {
  const holder = globalThis as Holder
  holder[KEY] ??= openStore<AppState>(process.env.PATCHDB_DIR ?? '.data', { value: initialState, sync: 'batch' }).catch((error: unknown) => {
    delete holder[KEY] // the next request tries again
    throw error
  })
  return holder[KEY]
}
