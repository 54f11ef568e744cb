import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

/**
 * Storybook's manager maps `react` to its own React 18 but not `react/jsx-runtime`: left
 * alone, the app's runtime is bundled and makes elements that React rejects. This points
 * the JSX runtime at a shim over createElement (src/storybook/jsx-classic.ts). Used by
 * tsup for dist/storybook-manager.js and by this Storybook for the panel from the sources.
 */
export const managerJsx: Plugin = {
  name: 'patchdb-manager-jsx',
  setup(b) {
    b.onResolve({ filter: /^react\/jsx(-dev)?-runtime$/ }, () => ({ path: here('../src/storybook/jsx-classic.ts') }))
  },
}

/**
 * The Patches panel's manager entry, bundled from the sources (tsconfig.json maps
 * `patchdb/*` to src/, which Storybook's own manager build would not read), with React and
 * Storybook left for the manager to provide. Returns the file Storybook loads.
 */
export async function bundleManager(): Promise<string> {
  const outdir = here('../node_modules/.cache/patchdb-storybook')
  mkdirSync(outdir, { recursive: true })
  const outfile = `${outdir}/manager.js`
  await build({
    entryPoints: [here('../src/storybook/manager.tsx')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    jsx: 'automatic',
    tsconfig: here('../tsconfig.json'),
    external: ['react', 'react-dom', 'storybook', 'storybook/*'],
    plugins: [managerJsx],
    logLevel: 'warning',
  })
  return outfile
}
