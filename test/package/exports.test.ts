import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { packOnce, root } from '../support/package'

// The package as users get it: the build `npm pack` ships (see pack.test.ts), reached
// through the exports map (a package can import itself by name), in plain Node processes.
// Plain text whatever the terminal: FORCE_COLOR would make console.log colour its values.
const plain = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' }
const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: plain }).trim()
/** What a Node process prints when it fails, or '' when it succeeds. */
const failure = (args: string[]) => {
  try {
    execFileSync(process.execPath, args, { cwd: root, stdio: 'pipe' }) // stderr captured, not echoed
    return ''
  } catch (e) {
    return String((e as { stderr: string }).stderr)
  }
}

// Packing builds dist/ once per test run, shared with the other tests of the package.
beforeAll(() => packOnce(), 300_000)

describe('the built package', () => {
  it('has ESM, CommonJS and type declarations for every entry', () => {
    for (const entry of ['index', 'react', 'node', 'browser', 'devtools', 'client', 'server', 'storybook', 'storybook-preview', 'node.browser', 'server.browser']) {
      for (const ext of entry.endsWith('.browser') ? ['js', 'cjs'] : ['js', 'cjs', 'd.ts', 'd.cts']) expect(existsSync(`${root}/dist/${entry}.${ext}`), `${entry}.${ext}`).toBe(true)
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

  it('patchdb/client loads in Node 20 (the ws package stands in for the missing global WebSocket), ESM and CommonJS', () => {
    const run = (importLine: string, type: string[]) =>
      node([
        ...type,
        '-e',
        `${importLine}
         const c = connectStore('ws://127.0.0.1:9', { backoff: { base: 1, max: 1 } })
         const stop = c.on('status', () => {
           if (c.status.status !== 'offline') return
           stop()
           console.log(JSON.stringify([typeof c.synced, c.status.error.message.slice(0, 22)]))
           c.close()
         })`,
      ])
    expect(JSON.parse(run(`import { connectStore } from 'patchdb/client'`, ['--input-type=module']))).toEqual(['function', 'the connection closed '])
    expect(JSON.parse(run(`const { connectStore } = require('patchdb/client')`, []))).toEqual(['function', 'the connection closed '])
  })
})

describe('the server/client boundary of the built package', () => {
  const starts = (file: string) => readFileSync(`${root}/dist/${file}`, 'utf8').slice(0, 40)

  it('patchdb/react, patchdb/devtools and patchdb/storybook start with "use client" in ESM and CommonJS, before "use strict"', () => {
    for (const entry of ['react', 'devtools', 'storybook', 'storybook-preview']) {
      expect(starts(`${entry}.js`)).toMatch(/^"use client";\n/)
      expect(starts(`${entry}.cjs`)).toMatch(/^"use client";\n"use strict";\n/)
    }
  })

  it('patchdb/devtools imports the core as patchdb: an inspector attaches to a store of the shared copy', () => {
    const out = node([
      '--input-type=module',
      '-e',
      `import { createStore } from 'patchdb'
       import { createInspector } from 'patchdb/devtools'
       const s = createStore({ value: { n: 0 } })
       const i = createInspector(s)
       s.set('/n', 1, { label: 'one' })
       i.jump(0)
       console.log(JSON.stringify([s.get('/n'), i.entries().map((e) => e.label)]))`,
    ])
    expect(JSON.parse(out)).toEqual([0, ['one']])
  })

  it('the core and the Node and browser stores carry no "use client", so servers can call them', () => {
    for (const entry of ['index', 'node', 'browser']) {
      for (const ext of ['js', 'cjs']) expect(readFileSync(`${root}/dist/${entry}.${ext}`, 'utf8'), `${entry}.${ext}`).not.toContain('use client')
    }
  })

  it('serializeDump is callable from the core and is not exported by the client entry', () => {
    const out = node([
      '--input-type=module',
      '-e',
      `import * as core from 'patchdb'
       import * as react from 'patchdb/react'
       console.log(JSON.stringify([typeof core.serializeDump, 'serializeDump' in react]))`,
    ])
    expect(JSON.parse(out)).toEqual(['function', false])
  })

  it('patchdb/node under the browser condition fails to resolve with a message naming the mistake, ESM and CommonJS', () => {
    const said = /patchdb-node-is-for-the-server: import it only from server code/
    expect(failure(['--conditions=browser', '--input-type=module', '-e', `import 'patchdb/node'`])).toMatch(said)
    expect(failure(['--conditions=browser', '-e', `require('patchdb/node')`])).toMatch(said)
    // Without the condition, the same specifier is the durable store.
    expect(node(['--input-type=module', '-e', `import { openStore } from 'patchdb/node'; console.log(typeof openStore)`])).toBe('function')
  })

  it('patchdb/server under the browser condition fails to resolve with a message naming the mistake; in Node it is the sync server', () => {
    const said = /patchdb-server-is-for-the-server: import it only from server code/
    expect(failure(['--conditions=browser', '--input-type=module', '-e', `import 'patchdb/server'`])).toMatch(said)
    expect(failure(['--conditions=browser', '-e', `require('patchdb/server')`])).toMatch(said)
    expect(node(['--input-type=module', '-e', `import { createSyncServer } from 'patchdb/server'; console.log(typeof createSyncServer)`])).toBe('function')
    expect(node(['-e', `console.log(typeof require('patchdb/server').createSyncServer)`])).toBe('function')
  })

  it('a browser bundle that imports patchdb/node fails at build time and the bundler prints why', async () => {
    const { build } = await import('esbuild')
    const bundle = build({
      stdin: { contents: `import { openStore } from 'patchdb/node'; console.log(openStore)`, resolveDir: root },
      bundle: true,
      platform: 'browser',
      tsconfigRaw: {}, // not the repo's tsconfig, whose paths map patchdb/node to src/
      write: false,
      logLevel: 'silent',
    })
    await expect(bundle).rejects.toThrow(/Could not resolve "\.\/patchdb-node-is-for-the-server: import it only from server code/)
  })
})

describe('patchdb/storybook in the built package', () => {
  it("addons: ['patchdb/storybook'] resolves, as Storybook does it, to the package's manager and preview entries", async () => {
    const { resolveAddonName } = await import('storybook/internal/common')
    // From a config folder inside the package, so that 'patchdb/...' resolves through its own exports map.
    const addon = resolveAddonName(join(root, '.storybook'), 'patchdb/storybook', undefined) as { managerEntries: string[]; previewAnnotations: string[] }
    expect(addon.managerEntries).toEqual([join(root, 'dist/storybook-manager.js')])
    expect(addon.previewAnnotations).toEqual([join(root, 'dist/storybook-preview.js')])
  })

  it('the manager entry imports only what Storybook\'s manager provides (React 18 without a JSX runtime, react-dom, storybook/*), and is kept as a side effect', () => {
    const code = readFileSync(`${root}/dist/storybook-manager.js`, 'utf8')
    const imports = new Set([...code.matchAll(/^import [^'"]*["']([^'"]+)["']/gm)].map((m) => m[1]))
    expect([...imports].sort()).toEqual(['react', 'react-dom', 'storybook/manager-api'])
    expect(code).toContain('addons.register(')
    // A bundler drops a bare import of a module its package declares free of side effects.
    expect(JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).sideEffects).toEqual(['./dist/storybook-manager.js'])
  })

  it('the preview entry and patchdb/storybook share one module for the stories\' sessions (the play helpers find the decorator\'s store)', () => {
    const chunk = (file: string) => readFileSync(`${root}/dist/${file}`, 'utf8').match(/from "\.\/(chunk-[\w-]+\.js)"/)?.[1]
    expect(chunk('storybook-preview.js')).toBeDefined()
    expect(chunk('storybook-preview.js')).toBe(chunk('storybook.js'))
  })
})
