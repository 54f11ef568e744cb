import { describe, expect, it } from 'vitest'
import { bundleApp } from '../support/bundle-app'

/** Bundles `source` as an app would (minified, React external), for NODE_ENV `env`; returns the code. */
async function bundle(source: string, env: 'production' | 'development'): Promise<string> {
  const out = await bundleApp(source, 'tsx', {
    jsx: 'automatic',
    external: ['react', 'react-dom', 'react/jsx-runtime', 'use-sync-external-store'],
    define: { 'process.env.NODE_ENV': JSON.stringify(env) },
  })
  return out.outputFiles![0]!.text
}

// Strings only the panel holds: its stylesheet and its shadow root.
const PANEL = [':host { all: initial;', 'attachShadow']
const hasPanel = (code: string) => PANEL.some((s) => code.includes(s))

describe('the panel in a bundle', () => {
  it('an app that imports patchdb/devtools but does not render the panel ships none of it', async () => {
    const code = await bundle(`import { connectDirect } from 'patchdb/devtools'; export const c = connectDirect`, 'production')
    expect(code).toMatch(/connect/) // the bundle is not empty: it holds what the app uses
    expect(hasPanel(code)).toBe(false)
  }, 60_000)

  it('an app that renders the panel in development only ships none of it in production', async () => {
    const app = `
      import { PatchDevtools } from 'patchdb/devtools'
      export const Dev = ({ inspector }: any) => process.env.NODE_ENV !== 'production' ? <PatchDevtools inspector={inspector} /> : null`
    expect(hasPanel(await bundle(app, 'development'))).toBe(true) // the check can see the panel
    expect(hasPanel(await bundle(app, 'production'))).toBe(false)
  }, 60_000)
})
