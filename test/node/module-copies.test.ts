import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { PatchError } from 'patchdb'
import { CorruptionError, LockedError, openStore } from 'patchdb/node'
import { beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from './fixtures/child'
import { dirs } from './fixtures/dirs'

/*
 * Bundlers can load a package twice in one process (Next.js bundled patchdb/node once for a
 * route handler and once for the pages): two copies of every module, core included. Here
 * the built package is installed twice, in two directories, and both copies (one ESM, one
 * CommonJS) are loaded into this process next to the sources the other tests use.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))
const fresh = dirs('copies')
type NodeEntry = typeof import('patchdb/node')
type CoreEntry = typeof import('patchdb')
type BrowserEntry = typeof import('patchdb/browser')
interface Copy {
  dir: string
  node: NodeEntry
  core: CoreEntry
  browser: BrowserEntry
}
let a: Copy
let b: Copy
let installs: string[]

/** Installs the built package as `node_modules/patchdb` of a new directory (cbor-x linked, as npm would install it). */
function install(build: string): string {
  const dir = tempDir('install')
  const pkg = path.join(dir, 'node_modules/patchdb')
  fs.mkdirSync(pkg, { recursive: true })
  fs.cpSync(build, path.join(pkg, 'dist'), { recursive: true })
  fs.copyFileSync(path.join(root, 'package.json'), path.join(pkg, 'package.json'))
  fs.symlinkSync(path.join(root, 'node_modules/cbor-x'), path.join(dir, 'node_modules/cbor-x'))
  return dir
}

beforeAll(async () => {
  // Built apart from dist/ (the package test rebuilds that one, maybe at the same time).
  const build = tempDir('build')
  execFileSync(process.execPath, ['node_modules/tsup/dist/cli-default.js', '--out-dir', build, '--no-dts'], { cwd: root, stdio: 'ignore' })
  installs = [install(build), install(build)]
  fs.rmSync(build, { recursive: true, force: true })
  const entry = (dir: string, name: string) => path.join(dir, 'node_modules/patchdb/dist', name)
  const esm = async (dir: string): Promise<Copy> => ({
    dir,
    node: await import(pathToFileURL(entry(dir, 'node.js')).href),
    core: await import(pathToFileURL(entry(dir, 'index.js')).href),
    browser: await import(pathToFileURL(entry(dir, 'browser.js')).href),
  })
  const cjs = (dir: string): Copy => {
    const require = createRequire(entry(dir, 'node.cjs'))
    return { dir, node: require('./node.cjs'), core: require('./index.cjs'), browser: require('./browser.cjs') }
  }
  a = await esm(installs[0]!)
  b = cjs(installs[1]!)
  return () => installs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }))
}, 120_000)

/** Runs an ES module in a new Node process; returns what it printed as JSON. */
function runModule(code: string): unknown {
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }))
}

describe('two copies of patchdb/node in one process', () => {
  it('are different module instances of the same classes (what the tests below rely on)', () => {
    expect(a.node.openStore).not.toBe(b.node.openStore)
    expect(a.core.PatchError).not.toBe(b.core.PatchError)
    expect(a.node.LockedError).not.toBe(LockedError)
  })

  it('hold one lock per directory: a second opener through another copy gets LockedError, whichever opens first', async () => {
    for (const [first, second] of [
      [a.node, b.node],
      [b.node, a.node],
      [a.node, { openStore, LockedError } as NodeEntry],
    ] as const) {
      const dir = fresh()
      const db = await first.openStore(dir, { value: { n: 0 } })
      const err = await second.openStore(dir).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(second.LockedError)
      expect((err as LockedError).pid).toBe(process.pid)
      // Until closed: then the other copy opens it, with what the first wrote.
      db.set('/n', 1)
      await db.close()
      const next = await second.openStore(dir)
      expect(next.get()).toEqual({ n: 1 })
      await next.close()
    }
  })

  it('whatever flush() acknowledged reopens unchanged after both copies tried to write, and no revision is written twice', async () => {
    const dir = fresh()
    const writer = await a.node.openStore<{ items: number[] }>(dir, { value: { items: [] }, sync: 'always' })
    const refused: unknown[] = []
    for (let i = 1; i <= 50; i++) {
      writer.set(`/items/${i - 1}`, i)
      if (i % 10 === 0) {
        await writer.flush()
        // The other copy, and the sources, try to open it for writing while it is open.
        refused.push(await b.node.openStore(dir, { value: { items: [-1] } }).catch((e: unknown) => e))
        refused.push(await openStore(dir, { salvage: true }).catch((e: unknown) => e))
      }
    }
    await writer.flush()
    const acknowledged = writer.get()
    await writer.close()
    expect(refused.every((e) => e instanceof LockedError)).toBe(true)
    const db = await openStore(dir, { history: 100 })
    expect(db.revision).toBe(50)
    expect(db.get()).toEqual(acknowledged)
    expect(db.recovery.truncated).toEqual([])
    expect(db.recovery.dropped).toEqual([])
    expect(db.log().map((e) => e.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    await db.close()
  })

  it('share the registry only through globalThis: a foreign value there leaves every lock of this process live', () => {
    const dir = tempDir('foreign')
    const [x, y] = installs.map((d) => pathToFileURL(path.join(d, 'node_modules/patchdb/dist/node.js')).href)
    const out = runModule(`
      globalThis[Symbol.for('patchdb.node.locks')] = { version: 1, token: 'not ours', held: [] }
      const x = await import(${JSON.stringify(x)}), y = await import(${JSON.stringify(y)})
      const db = await x.openStore(${JSON.stringify(dir)})
      const second = await y.openStore(${JSON.stringify(dir)}).then(() => 'opened', (e) => e.name)
      const same = await x.openStore(${JSON.stringify(dir)}).then(() => 'opened', (e) => e.name)
      await db.close()
      const after = await y.openStore(${JSON.stringify(dir)}).then(async (s) => { await s.close(); return 'opened' }, (e) => e.name)
      console.log(JSON.stringify([second, same, after]))`)
    fs.rmSync(dir, { recursive: true, force: true })
    expect(out).toEqual(['LockedError', 'LockedError', 'opened'])
  })

  it('hold one lock per directory across worker threads of one process (same pid, registries of their own)', () => {
    const dir = tempDir('threads')
    const url = pathToFileURL(path.join(installs[0]!, 'node_modules/patchdb/dist/node.js')).href
    const out = runModule(`
      import { Worker } from 'node:worker_threads'
      import { once } from 'node:events'
      const { openStore } = await import(${JSON.stringify(url)})
      const inWorker = async () => {
        const w = new Worker(new URL('data:text/javascript,' + encodeURIComponent(\`
          import { parentPort } from 'node:worker_threads'
          const { openStore } = await import(${JSON.stringify(url)})
          parentPort.postMessage(await openStore(${JSON.stringify(dir)}).then(async (s) => { await s.close(); return 'opened' }, (e) => e.name))\`)))
        const [result] = await once(w, 'message')
        await w.terminate()
        return result
      }
      const db = await openStore(${JSON.stringify(dir)})
      const whileOpen = await inWorker()
      await db.close()
      console.log(JSON.stringify([whileOpen, await inWorker()]))`)
    fs.rmSync(dir, { recursive: true, force: true })
    expect(out).toEqual(['LockedError', 'opened'])
  })
})

describe('errors of another copy of patchdb', () => {
  it('are instances of this copy’s classes, for the core, node and browser errors', async () => {
    const refused = (() => {
      try {
        a.core.createStore({ value: {} }).apply([{ op: 'remove', path: '/missing' }])
      } catch (e) {
        return e
      }
    })()
    expect(refused).toBeInstanceOf(a.core.PatchError)
    expect(refused).toBeInstanceOf(b.core.PatchError)
    expect(refused).toBeInstanceOf(PatchError)
    expect(refused).toBeInstanceOf(Error)
    expect((refused as PatchError).code).toBe('PATH_NOT_FOUND')

    const corrupt = new b.node.CorruptionError('/x/0000000001.log', 12, 'CRC-32 mismatch')
    expect(corrupt).toBeInstanceOf(a.node.CorruptionError)
    expect(corrupt).toBeInstanceOf(CorruptionError)
    const tabs = new a.browser.CorruptionError('db', 'snapshot', 'not plain JSON')
    expect(tabs).toBeInstanceOf(b.browser.CorruptionError)
    expect(new b.browser.WriterChangedError('gone')).toBeInstanceOf(a.browser.WriterChangedError)
    expect(new b.node.ReadOnlyError('/x')).toBeInstanceOf(a.node.ReadOnlyError)
    expect(new b.node.VersionError('format', '/x', 3, 2)).toBeInstanceOf(a.node.VersionError)
    expect(new b.node.StoreClosedError('/x')).toBeInstanceOf(a.node.StoreClosedError)
  })

  it('are not instances of other classes: each brand is its own', () => {
    expect(new a.node.CorruptionError('/x', 0, 'bad')).not.toBeInstanceOf(b.browser.CorruptionError)
    expect(new a.browser.CorruptionError('db', 'snapshot', 'bad')).not.toBeInstanceOf(CorruptionError)
    expect(new a.node.LockedError('/x', 1)).not.toBeInstanceOf(b.node.CorruptionError)
    expect(new a.node.LockedError('/x', 1)).not.toBeInstanceOf(PatchError)
    expect(new Error('plain')).not.toBeInstanceOf(a.core.PatchError)
    for (const value of [null, undefined, 'PatchError', 42, {}]) expect(value instanceof b.core.PatchError).toBe(false)
  })

  it('keep subclass relations: a subclass of another copy’s PatchError is a PatchError here, not the other way round', () => {
    class AppError extends a.core.PatchError {}
    const app = new AppError('VALUE_INVALID', 'refused by the app')
    expect(app).toBeInstanceOf(AppError)
    expect(app).toBeInstanceOf(b.core.PatchError)
    expect(app).toBeInstanceOf(PatchError)
    expect(new b.core.PatchError('VALUE_INVALID', 'core')).not.toBeInstanceOf(AppError)
    expect(new a.core.PatchError('VALUE_INVALID', 'core')).not.toBeInstanceOf(AppError)
  })
})
