import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { zipSync } from 'fflate'

/**
 * Builds the unpacked extension into `outDir` and zips it beside it (`<outDir>.zip`):
 * the scripts bundled by esbuild (patchdb/* from the sources, as an app's bundler would
 * from the package), the static pages, and the manifest with the package's version.
 * `npm run build:extension` writes dist/extension/ and dist/extension.zip.
 */
const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')

const ENTRIES = {
  hook: 'src/hook.ts',
  relay: 'src/relay.ts',
  background: 'src/background.ts',
  'devtools-page': 'src/devtools-page.ts',
  panel: 'src/panel/main.tsx',
}
const STATIC = ['devtools.html', 'panel.html']

export async function buildExtension(outDir = join(root, 'dist/extension')): Promise<{ dir: string; zip: string }> {
  await rm(outDir, { recursive: true, force: true })
  await mkdir(outDir, { recursive: true })
  await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, src]) => [name, join(here, src)])),
    outdir: outDir,
    bundle: true,
    // Classic scripts: content scripts cannot be modules, and one format for all is simpler.
    format: 'iife',
    platform: 'browser',
    target: 'chrome111',
    jsx: 'automatic',
    minify: true,
    tsconfig: join(root, 'tsconfig.json'),
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    logLevel: 'silent',
  })
  for (const file of STATIC) await copyFile(join(here, file), join(outDir, file))
  const manifest = JSON.parse(await readFile(join(here, 'manifest.json'), 'utf8'))
  manifest.version = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).version
  await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)

  const files: Record<string, Uint8Array> = {}
  for (const name of await readdir(outDir, { recursive: true, withFileTypes: true })) {
    if (!name.isFile()) continue
    const path = join(name.parentPath, name.name)
    files[relative(outDir, path).split('\\').join('/')] = await readFile(path)
  }
  const zip = `${outDir}.zip`
  await writeFile(zip, zipSync(files, { level: 9, mtime: new Date('2000-01-01T00:00:00Z') }))
  return { dir: outDir, zip }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { dir, zip } = await buildExtension(process.argv[2])
  console.log(`patchdb devtools extension: ${relative(process.cwd(), dir)}/ and ${relative(process.cwd(), zip)}`)
}
