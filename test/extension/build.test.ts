import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = new URL('../../', import.meta.url).pathname
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
let dir: string
let out: string

beforeAll(() => {
  // The very command `npm run build:extension` runs, into a directory of this test's own (dist/ is the package build's).
  expect(pkg.scripts['build:extension']).toBe('node --import tsx devtools/build.ts')
  dir = mkdtempSync(join(tmpdir(), 'patchdb-extension-build-'))
  out = join(dir, 'extension')
  execFileSync(process.execPath, ['--import', 'tsx', 'devtools/build.ts', out], { cwd: root, stdio: 'pipe' })
}, 60_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('npm run build:extension', () => {
  it('writes a Manifest V3 extension: a devtools page, a service worker, the hook in the MAIN world before the page, the relay isolated', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
    expect(manifest).toMatchObject({ manifest_version: 3, version: pkg.version, devtools_page: 'devtools.html', background: { service_worker: 'background.js' }, permissions: ['storage'] })
    expect(manifest.content_scripts).toEqual([
      expect.objectContaining({ js: ['hook.js'], world: 'MAIN', run_at: 'document_start', all_frames: true }),
      expect.objectContaining({ js: ['relay.js'], run_at: 'document_start', all_frames: true }),
    ])
    expect(manifest.content_scripts[1].world).toBeUndefined()
    // Nothing a web page can load, and nothing that runs strings as code.
    expect(manifest.web_accessible_resources).toBeUndefined()
    expect(manifest.content_security_policy.extension_pages).not.toMatch(/unsafe-eval|unsafe-inline|https?:/)
    const files = readdirSync(out)
    for (const f of ['devtools.html', 'panel.html', 'hook.js', 'relay.js', 'background.js', 'devtools-page.js', 'panel.js']) expect(files).toContain(f)
    for (const js of files.filter((f) => f.endsWith('.js'))) expect(readFileSync(join(out, js), 'utf8'), js).not.toMatch(/\beval\(|new Function\(/)
  })

  it('the hook that runs in every page is tiny: it bundles none of the panel, React or the core', () => {
    const hook = readFileSync(join(out, 'hook.js'), 'utf8')
    expect(hook.length).toBeLessThan(2_000)
    expect(hook).not.toMatch(/react|applyPatch/i)
  })

  it('zips the same files beside the directory', () => {
    const zipped = unzipSync(readFileSync(`${out}.zip`))
    expect(Object.keys(zipped).sort()).toEqual(readdirSync(out).sort())
    for (const [name, bytes] of Object.entries(zipped)) expect(Buffer.from(bytes).equals(readFileSync(join(out, name))), name).toBe(true)
  })
})
