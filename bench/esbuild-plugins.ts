import type { Plugin } from 'esbuild'

/** Every package but patchdb itself (mapped to src/ by tsconfig paths) stays external: loaded as installed. */
export const packagesExternal: Plugin = {
  name: 'packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (/^patchdb(\/|$)/.test(args.path) ? undefined : { path: args.path, external: true }))
  },
}

/**
 * Where built bench code goes: inside the bench package's node_modules, so it is never
 * committed and its imports resolve to the bench's own peer libraries.
 */
export const CACHE_DIR = 'bench/node_modules/.cache/patchdb-bench'
