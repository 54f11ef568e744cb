// Packs patchdb from this repository into .pack/patchdb.tgz, as `npm publish` would ship it
// (its `prepack` script builds dist/): the example installs a real package, never a link
// into ../../src.
import { execFileSync } from 'node:child_process'
import { mkdirSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const out = fileURLToPath(new URL('.pack', import.meta.url))
mkdirSync(out, { recursive: true })
const json = execFileSync('npm', ['pack', '--json', '--pack-destination', out, '--loglevel=error'], { cwd: repo, encoding: 'utf8', shell: process.platform === 'win32' })
const [packed] = JSON.parse(json.slice(json.indexOf('[')))
renameSync(join(out, packed.filename), join(out, 'patchdb.tgz'))
console.log(`packed ${packed.name}@${packed.version}: ${packed.entryCount} files into .pack/patchdb.tgz`)
