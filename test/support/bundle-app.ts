import { fileURLToPath } from 'node:url'
import { build, type BuildOptions, type BuildResult } from 'esbuild'

const root = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Bundles `source` as an app's build would (ESM for the browser, minified, in memory), with
 * `patchdb/*` mapped to the sources by tsconfig.json as the package exports would map them.
 */
export function bundleApp(source: string, loader: 'ts' | 'tsx', options: BuildOptions = {}): Promise<BuildResult> {
  return build({
    stdin: { contents: source, loader, resolveDir: root, sourcefile: `app.${loader}` },
    tsconfig: `${root}/tsconfig.json`,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    minify: true,
    logLevel: 'silent',
    ...options,
  })
}
