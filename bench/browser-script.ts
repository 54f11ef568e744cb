import { join } from 'node:path'
import { build } from 'esbuild'
import { repoRoot } from './paths'

/** A bench page's script (a path from the checkout's root): one production IIFE, patchdb/* from the sources (tsconfig paths). */
export async function bundleBrowserScript(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [join(repoRoot, entry)],
    tsconfig: join(repoRoot, 'tsconfig.json'),
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  return out.outputFiles[0]!.text
}
