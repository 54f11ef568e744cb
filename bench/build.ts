import { join } from 'node:path'
import { build } from 'esbuild'
import { CACHE_DIR, packagesExternal } from './esbuild-plugins'
import { repoRoot } from './paths'

/*
 * Compiles the bench, and patchdb from src/ with it, the way a production build would
 * (esbuild, no keepNames). Running from tsx instead would wrap every patchdb function in
 * tsx's `__name` helper and charge patchdb for it while the peers run as shipped.
 */
await build({
  entryPoints: [join(repoRoot, 'bench/run.ts')],
  outfile: join(repoRoot, CACHE_DIR, 'run.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  plugins: [packagesExternal],
})
