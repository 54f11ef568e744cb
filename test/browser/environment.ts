// The browser APIs patchdb/browser needs, in Node: IndexedDB (fake-indexeddb), Web Locks
// (the double in web-locks.ts); BroadcastChannel and crypto.randomUUID are Node globals.
import 'fake-indexeddb/auto'
import { installWebLocks } from './web-locks'

installWebLocks()

let counter = 0
/** A database name no other test uses. */
export const freshName = (label: string) => `${label}-${Date.now()}-${++counter}`
