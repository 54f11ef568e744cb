import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { JSDOM } from 'jsdom'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * The hooks on React 18. Vite aliases do not reach the CommonJS requires inside
 * use-sync-external-store and react-dom, so the scenarios are bundled with esbuild, whose
 * alias rewrites `react` and `react-dom` everywhere in the bundle to the react-18 packages.
 * The bundle runs inside a JSDOM window (esbuild itself cannot run in vitest's jsdom
 * environment); results are copied out as JSON.
 */
type Module = typeof import('./fixtures/react18-scenarios')
/** The scenarios as this test calls them: across the window boundary, every call is async. */
type Scenarios = { [K in keyof Module]: Module[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<Awaited<R>> : Module[K] }
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
let dom: JSDOM
let s: Scenarios

beforeAll(async () => {
  const out = await build({
    entryPoints: [here('./fixtures/react18-scenarios.tsx')],
    tsconfig: here('../../tsconfig.json'),
    alias: { react: 'react-18', 'react-dom': 'react-dom-18' },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'scenarios',
    platform: 'browser',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  })
  dom = new JSDOM('<!doctype html><body></body>', { runScripts: 'outside-only', pretendToBeVisual: true })
  const inPage = dom.window.eval(`${out.outputFiles[0]!.text};scenarios`) as Record<string, unknown>
  const copy = (v: unknown) => JSON.parse(JSON.stringify(v))
  s = Object.fromEntries(
    Object.entries(inPage).map(([k, v]) => [k, typeof v === 'function' ? async () => copy(await v()) : v]),
  ) as unknown as Scenarios
}, 60_000)
afterAll(() => dom.window.close())

describe('React 18', () => {
  it('runs React 18', () => {
    expect(s.version).toMatch(/^18\./)
  })

  it('exact renders with 1,000 rows', async () => {
    // Rows hold blocks of 100 equal values and row 500 was just set to 'x': after the
    // shift, the first row of each block changes, and 500 and 501 (around the 'x').
    const insertAt0 = [100, 200, 300, 400, 500, 501, 600, 700, 800, 900]
    expect(await s.rowRenders()).toEqual({ onRow: [500], insertAt0, elsewhere: [] })
  })

  it('an inline selector does not loop', async () => {
    expect(await s.inlineSelector()).toEqual({ text: '1:a,B', errors: 0, renders: 6 })
  })

  it('StrictMode leaks no watcher', async () => {
    const { mounted, unmounted } = await s.strictModeWatchers()
    expect(mounted).toMatchObject({ watchers: 6, subscribers: 2 })
    expect(unmounted).toMatchObject({ watchers: 0, nodes: 1, subscribers: 0 })
  })

  it('hydrates server HTML with no error, then renders only what a revision touched', async () => {
    const r = await s.hydration()
    expect(r).toEqual({
      same: true,
      errors: 0,
      server: [],
      hydrated: { title: 1, item0: 1, item1: 1, item2: 1, revision: 1, late: 1 },
      updated: { item0: 1, revision: 1, text: 'ONE' },
    })
  })
})
