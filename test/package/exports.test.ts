import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

// The package as users get it: `npm run build` output, reached through the exports map
// (a package can import itself by name), in plain Node processes, ESM and CommonJS.
const root = fileURLToPath(new URL('../..', import.meta.url))
const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim()

beforeAll(() => {
  execFileSync(process.execPath, ['node_modules/tsup/dist/cli-default.js'], { cwd: root, stdio: 'ignore' })
}, 180_000)

describe('the built package', () => {
  it('has ESM, CommonJS and type declarations for every entry', () => {
    for (const entry of ['index', 'react', 'node', 'browser']) {
      for (const ext of ['js', 'cjs', 'd.ts', 'd.cts']) expect(existsSync(`${root}/dist/${entry}.${ext}`), `${entry}.${ext}`).toBe(true)
    }
  })

  it('imports as ESM by name, with one copy of the core shared by the entries', () => {
    const out = node([
      '--input-type=module',
      '-e',
      `import { createStore, serializeDump } from 'patchdb'
       import { openStore } from 'patchdb/node'
       import { openBrowserStore } from 'patchdb/browser'
       const s = createStore({ value: { a: '</script>' } })
       s.set('/a', 'b')
       console.log(JSON.stringify([s.revision, serializeDump(s.dump()), typeof openStore, typeof openBrowserStore]))`,
    ])
    expect(JSON.parse(out)).toEqual([1, '{"id":1,"value":{"a":"b"}}', 'function', 'function'])
  })

  it('requires as CommonJS by name', () => {
    const out = node([
      '-e',
      `const { createStore, PatchError } = require('patchdb')
       const s = createStore({ value: { n: 0 } })
       try { s.apply([{ op: 'remove', path: '/x' }]) } catch (e) { console.log(e instanceof PatchError, e.code) }`,
    ])
    expect(out).toBe('true PATH_NOT_FOUND')
  })
})
