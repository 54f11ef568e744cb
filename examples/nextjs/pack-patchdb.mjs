// Builds patchdb from this repository and packs it into .pack/patchdb.tgz, as `npm publish`
// would ship it: the example installs a real package, never a link into ../../src.
// The build goes to a temporary directory, so the repository's own dist/ is left alone.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const out = fileURLToPath(new URL('.pack', import.meta.url))
const staging = mkdtempSync(join(tmpdir(), 'patchdb-pack-'))
try {
  const tsup = join(repo, 'node_modules/tsup/dist/cli-default.js')
  execFileSync(process.execPath, [tsup, '--out-dir', join(staging, 'dist'), '--silent'], { cwd: repo, stdio: 'inherit' })
  for (const file of ['package.json', 'README.md', 'LICENSE']) cpSync(join(repo, file), join(staging, file))
  mkdirSync(out, { recursive: true })
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const [name] = JSON.parse(execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: staging, encoding: 'utf8' }))
  renameSync(join(out, name.filename), join(out, 'patchdb.tgz'))
  console.log(`packed ${name.name}@${name.version}: ${name.entryCount} files into .pack/patchdb.tgz`)
} finally {
  rmSync(staging, { recursive: true, force: true })
}
