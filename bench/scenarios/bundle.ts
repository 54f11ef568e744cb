import { existsSync } from 'node:fs'
import { repoRoot } from '../paths'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import type { Scenario, Table } from '../types'

const root = repoRoot + '/'
/** Entries resolve from the bench package, where the peer libraries are installed. */
const resolveDir = root + 'bench'
const REACT_ENTRY = 'src/react/index.ts'
/** Peer dependencies, left out of every bundle alike. */
const external = ['react', 'react-dom', 'react/*', 'react-dom/*', 'use-sync-external-store', 'use-sync-external-store/*']
const LIMIT_BYTES = 6 * 1024

/** Each library's whole public entry (or entries), bundled with its own dependencies. */
const peers: { name: string; source: string }[] = [
  { name: 'Zustand', source: `export * from 'zustand'` },
  { name: 'Jotai', source: `export * from 'jotai'` },
  { name: 'Valtio', source: `export * from 'valtio'` },
  { name: 'Redux Toolkit + react-redux', source: `export * from '@reduxjs/toolkit'; export * from 'react-redux'` },
  { name: 'MobX-State-Tree + mobx', source: `export * from 'mobx-state-tree'; export * from 'mobx'` },
  { name: 'Legend-State', source: `export * from '@legendapp/state'; export * from '@legendapp/state/react'` },
]

/** Minified (esbuild, production) and gzipped (level 9) size of an entry, in bytes. */
export async function bundleSize(source: string): Promise<{ min: number; gzip: number }> {
  const out = await build({
    stdin: { contents: source, resolveDir, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  const code = out.outputFiles[0]!.contents
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length }
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(2)} kB`

export const bundle: Scenario = {
  id: 7,
  title: 'Bundle size (minified + gzipped, peer dependencies excluded)',
  async run() {
    const hasReact = existsSync(`${root}${REACT_ENTRY}`)
    const core = { name: 'patchdb (core only)', source: `export * from '../src/core/index.ts'` }
    const mine = hasReact ? { name: 'patchdb + patchdb/react', source: `${core.source}; export * from '../${REACT_ENTRY}'` } : core
    const rows: Table['rows'] = []
    const sizes = new Map<string, number>()
    for (const lib of hasReact ? [mine, core, ...peers] : [core, ...peers]) {
      const s = await bundleSize(lib.source)
      if (s.gzip < 200) throw new Error(`${lib.name}: a ${s.gzip}-byte bundle means the entry resolved to nothing`)
      sizes.set(lib.name, s.gzip)
      rows.push({ name: lib.name, cells: [kB(s.min), kB(s.gzip)] })
    }
    const size = sizes.get(mine.name)!
    return {
      id: 7,
      title: this.title,
      status: 'done',
      note:
        `esbuild --bundle --minify (ESM, browser, NODE_ENV=production), gzip -9; ${external.filter((e) => !e.includes('*')).join(', ')} external for every library.` +
        (hasReact ? '' : ` patchdb/react is waiting (${REACT_ENTRY} does not exist yet): core alone.`),
      tables: [{ title: 'whole public entries', columns: ['minified', 'gzipped'], rows }],
      checked: [...sizes.keys()],
      targets: [{ text: '`patchdb` + `patchdb/react` under 6 kB', measured: kB(size) + (hasReact ? '' : ' (core only)'), met: hasReact && size < LIMIT_BYTES }],
    }
  },
}
