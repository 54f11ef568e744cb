// What `patchdb/node` resolves to under the `browser` export condition (a client component,
// a browser bundle). The import below cannot resolve, on purpose: bundlers stop the build
// and print the specifier, which says what went wrong. tsup leaves it as written.
import './patchdb-node-is-for-the-server: import it only from server code (a Server Component, a Route Handler, a Server Action, a Node script), never from a client component or a browser bundle'
