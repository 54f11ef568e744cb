import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { packOnce, root } from '../support/package'

// The tarball `npm pack` makes, installed into a project of its own, used the ways users
// use it: ESM, CommonJS, and TypeScript with both module resolutions that read `exports`.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> }
// patchdb/storybook/manager is left out: a module for Storybook's manager bundle that only
// registers the Patches panel (no exports to count); exports.test.ts checks what it imports.
const entries = Object.keys(pkg.exports)
  .filter((e) => e !== './package.json' && e !== './storybook/manager')
  .map((e) => e.replace(/^\./, pkg.name))
let tarball: string
let app: string

const run = (cmd: string, args: string[], cwd = app) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
const tsc = (project: string) => run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project])

beforeAll(async () => {
  tarball = await packOnce()
  app = mkdtempSync(join(tmpdir(), 'patchdb-consumer-'))
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  // React, ws and storybook are optional peers: a React app brings its own, and so do a sync server (ws) and a Storybook.
  run('npm', ['install', tarball, 'react@19', 'react-dom@19', '@types/react@19', 'ws@8', 'storybook@10.6.6', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'])
}, 300_000)

describe('npm pack', () => {
  it('ships the build, the license and the docs, and no sources or tests', () => {
    const files = run('tar', ['-tzf', tarball], root).split('\n').map((f) => f.replace(/^package\//, ''))
    for (const f of ['package.json', 'LICENSE', 'README.md', 'CHANGELOG.md', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/react.js', 'dist/node.js', 'dist/browser.js']) {
      expect(files, f).toContain(f)
    }
    expect(files.filter((f) => /^(src|test|bench|examples)\//.test(f))).toEqual([])
  })

  it('imports every entry from ESM in the installed package', () => {
    const code = entries.map((e, i) => `import * as m${i} from '${e}'`).join('\n') + `\nconsole.log(JSON.stringify([${entries.map((_, i) => `Object.keys(m${i}).length`).join(',')}]))`
    const counts = JSON.parse(run(process.execPath, ['--input-type=module', '-e', code])) as number[]
    expect(counts.every((n) => n > 0), `exports per entry: ${counts}`).toBe(true)
  })

  it('requires every entry from CommonJS in the installed package', () => {
    const code = `console.log(JSON.stringify([${entries.map((e) => `Object.keys(require('${e}')).length`).join(',')}]))`
    const counts = JSON.parse(run(process.execPath, ['--input-type=commonjs', '-e', code])) as number[]
    expect(counts.every((n) => n > 0), `exports per entry: ${counts}`).toBe(true)
  })

  it('runs a store end to end from the installed package, errors recognisable by class', () => {
    const out = run(process.execPath, [
      '--input-type=module',
      '-e',
      `import { createStore, PatchError } from 'patchdb'
       const s = createStore({ value: { todos: [] } })
       const seen = []
       s.watch('/todos/0', (v) => seen.push(v))
       s.apply([{ op: 'add', path: '/todos/-', value: 'milk' }])
       let code
       try { s.apply([{ op: 'remove', path: '/nope' }]) } catch (e) { code = e instanceof PatchError && e.code }
       console.log(JSON.stringify({ revision: s.revision, seen, code }))`,
    ])
    expect(JSON.parse(out)).toEqual({ revision: 1, seen: ['milk'], code: 'PATH_NOT_FOUND' })
  })

  for (const resolution of ['bundler', 'node16'] as const) {
    it(`type-checks a typed app with moduleResolution ${resolution}, and catches a wrong pointer`, { timeout: 180_000 }, () => {
      const module = resolution === 'bundler' ? 'esnext' : 'node16'
      const typed = `import { createStore } from 'patchdb'
import { createPatchHooks } from 'patchdb/react'
interface Todo { title: string; done: boolean }
interface AppState { todos: Todo[]; settings: { theme: 'light' | 'dark' } }
const store = createStore<AppState>({ value: { todos: [], settings: { theme: 'light' } } })
const theme: 'light' | 'dark' = store.get('/settings/theme')
store.set('/todos/0/done', true)
export const hooks = createPatchHooks<AppState>()
export { theme }
`
      // One compiler run over a good file and a bad one: the only errors are at the bad pointer.
      writeFileSync(join(app, `good-${resolution}.ts`), typed)
      writeFileSync(join(app, `bad-${resolution}.ts`), typed.replace(`store.get('/settings/theme')`, `store.get('/settings/theem')`))
      const files = [`good-${resolution}.ts`, `bad-${resolution}.ts`]
      writeFileSync(join(app, `tsconfig.${resolution}.json`), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module, moduleResolution: resolution, target: 'es2022', jsx: 'react-jsx', skipLibCheck: true, types: [] }, files }))
      let errors = ''
      try {
        tsc(`tsconfig.${resolution}.json`)
      } catch (e) {
        errors = String((e as { stdout?: string }).stdout)
      }
      const lines = errors.split('\n').filter((l) => /error TS/.test(l))
      expect(lines.length).toBeGreaterThan(0)
      for (const l of lines) expect(l).toMatch(new RegExp(`^bad-${resolution}\\.ts\\(6,`))
      expect(errors).toContain(`no key 'theem' at /settings`) // the error names the wrong segment
    })
  }

  it('type-checks CommonJS requires under node16 (the .d.cts declarations)', { timeout: 180_000 }, () => {
    writeFileSync(join(app, 'main.cts'), `import patchdb = require('patchdb')\nconst s = patchdb.createStore({ value: { n: 1 } })\nexport const n: number = s.revision\n`)
    writeFileSync(join(app, 'tsconfig.cjs.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'node16', moduleResolution: 'node16', target: 'es2022', skipLibCheck: true, types: [] }, files: ['main.cts'] }))
    expect(tsc('tsconfig.cjs.json')).toBe('')
  })
})
