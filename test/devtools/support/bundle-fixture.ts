import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

/** A fixture of test/devtools/fixtures as one production script (patchdb/* from the sources), for a Chromium page. */
export async function bundleFixture(name: string): Promise<string> {
  const out = await build({
    entryPoints: [fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))],
    tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)), // patchdb/* → the sources
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    jsx: 'automatic',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  return out.outputFiles[0]!.text
}
