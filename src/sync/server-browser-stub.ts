// What `patchdb/server` resolves to under the `browser` export condition: the same mechanism
// as patchdb/node's (tsup.config.ts, SERVER_ONLY_STUB). The import cannot resolve, on purpose:
// a bundler stops and prints the specifier, which says what went wrong.
import './patchdb-server-is-for-the-server: import it only from server code (a Node process, a Route Handler), never from a client component or a browser bundle'
