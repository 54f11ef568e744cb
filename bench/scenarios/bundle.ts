import { existsSync } from 'node:fs'
import { repoRoot } from '../paths'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import type { Scenario, Table, TargetResult } from '../types'

const root = repoRoot + '/'
/** Entries resolve from the bench package, where the peer libraries are installed. */
const resolveDir = root + 'bench'
const REACT_ENTRY = 'src/react/index.ts'
const REACT = ['react', 'react-dom', 'react/*', 'react-dom/*']
const SHIM = ['use-sync-external-store', 'use-sync-external-store/*']
/** Peer dependencies, left out of every whole-entry bundle alike. */
const external = [...REACT, ...SHIM]
const ENTRIES_LIMIT = 6 * 1024
const APP_LIMIT = 5 * 1024

/** Each library's whole public entry (or entries), bundled with its own dependencies. */
const peers: { name: string; source: string }[] = [
  { name: 'Zustand', source: `export * from 'zustand'` },
  { name: 'Jotai', source: `export * from 'jotai'` },
  { name: 'Valtio', source: `export * from 'valtio'` },
  { name: 'Redux Toolkit + react-redux', source: `export * from '@reduxjs/toolkit'; export * from 'react-redux'` },
  { name: 'MobX-State-Tree + mobx', source: `export * from 'mobx-state-tree'; export * from 'mobx'` },
  { name: 'Legend-State', source: `export * from '@legendapp/state'; export * from '@legendapp/state/react'` },
]

/**
 * The same small app in each library: a store holding `{ count }`, a provider where the
 * library has one, a component that reads `count`. What a user ships is what the app
 * imports, so this is the figure that counts; whole entries show the ceiling.
 */
const apps: { name: string; source: string }[] = [
  {
    name: 'patchdb: createStore, PatchProvider, usePatch',
    source: `import { createElement as h } from 'react'
import { createStore } from 'patchdb'
import { PatchProvider, usePatch } from 'patchdb/react'
const store = createStore({ value: { count: 0 } })
function Count() { return h('p', null, String(usePatch('/count'))) }
export function App() { return h(PatchProvider, { store }, h(Count)) }
export { store }`,
  },
  {
    name: 'Jotai: atom, Provider, useAtomValue',
    source: `import { createElement as h } from 'react'
import { atom, createStore, Provider, useAtomValue } from 'jotai'
const count = atom(0)
const store = createStore()
function Count() { return h('p', null, String(useAtomValue(count))) }
export function App() { return h(Provider, { store }, h(Count)) }
export { store, count }`,
  },
  {
    name: 'Valtio: proxy, useSnapshot',
    source: `import { createElement as h } from 'react'
import { proxy, useSnapshot } from 'valtio'
export const state = proxy({ count: 0 })
export function App() { return h('p', null, String(useSnapshot(state).count)) }`,
  },
  {
    name: 'Zustand: create',
    source: `import { createElement as h } from 'react'
import { create } from 'zustand'
export const useCount = create(() => ({ count: 0 }))
export function App() { return h('p', null, String(useCount((s) => s.count))) }`,
  },
]

/** Minified (esbuild, production) and gzipped (level 9) size of an entry, in bytes. */
export async function bundleSize(source: string, leftOut = external): Promise<{ min: number; gzip: number }> {
  const out = await build({
    stdin: { contents: source, resolveDir, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: leftOut,
    // patchdb and patchdb/react resolve to src/ through the checkout's tsconfig paths.
    tsconfig: root + 'tsconfig.json',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  const code = out.outputFiles[0]!.contents
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length }
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(2)} kB`

export const bundle: Scenario = {
  id: 7,
  title: 'Bundle size (minified + gzipped)',
  async run() {
    const hasReact = existsSync(`${root}${REACT_ENTRY}`)
    const core = { name: 'patchdb (core only)', source: `export * from '../src/core/index.ts'` }
    const mine = hasReact ? { name: 'patchdb + patchdb/react', source: `${core.source}; export * from '../${REACT_ENTRY}'` } : core
    const checked: string[] = []
    const measure = async (name: string, source: string, leftOut: string[]) => {
      const s = await bundleSize(source, leftOut)
      if (s.gzip < 200) throw new Error(`${name}: a ${s.gzip}-byte bundle means the entry resolved to nothing`)
      checked.push(name)
      return s
    }
    const tables: Table[] = []
    const targets: TargetResult[] = []
    if (hasReact) {
      const rows: Table['rows'] = []
      let app = 0
      for (const a of apps) {
        const all = await measure(a.name, a.source, REACT)
        const noShim = await measure(`${a.name} (shim left out)`, a.source, external)
        if (a === apps[0]) app = all.gzip
        rows.push({ name: a.name, cells: [kB(all.min), kB(all.gzip), kB(noShim.gzip)] })
      }
      tables.push({ title: 'a small app: everything but React bundled', columns: ['minified', 'gzipped', 'gzipped, use-sync-external-store left out too'], rows })
      targets.push({ text: 'a small app (createStore, PatchProvider, usePatch) under 5 kB with everything but React bundled', measured: kB(app), met: app < APP_LIMIT })
    }
    const rows: Table['rows'] = []
    let size = 0
    for (const lib of hasReact ? [mine, core, ...peers] : [core, ...peers]) {
      const s = await measure(lib.name, lib.source, external)
      if (lib === mine) size = s.gzip
      rows.push({ name: lib.name, cells: [kB(s.min), kB(s.gzip)] })
    }
    tables.push({ title: 'whole public entries (react, react-dom, use-sync-external-store left out)', columns: ['minified', 'gzipped'], rows })
    targets.push({ text: '`patchdb` + `patchdb/react` whole entries under 6 kB', measured: kB(size) + (hasReact ? '' : ' (core only)'), met: hasReact && size < ENTRIES_LIMIT })
    return {
      id: 7,
      title: this.title,
      status: 'done',
      note:
        'esbuild --bundle --minify (ESM, browser, NODE_ENV=production), gzip -9; patchdb from src/ as a production build compiles it.' +
        (hasReact ? '' : ` patchdb/react is waiting (${REACT_ENTRY} does not exist yet): core alone.`),
      tables,
      checked,
      targets,
    }
  },
}
