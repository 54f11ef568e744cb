import { describe, expect, it } from 'vitest'
import { bundleApp } from '../support/bundle-app'

/** Bundles an app as a browser build would (ESM, code splitting): the packages loaded with it, and those loaded on demand. */
async function bundle(source: string): Promise<{ entry: string[]; lazy: string[] }> {
  const out = await bundleApp(source, 'ts', { splitting: true, outdir: '/virtual', metafile: true })
  const outputs = out.metafile!.outputs
  const modules = (file: string) => Object.keys(outputs[file]!.inputs).filter((p) => p.includes('node_modules/'))
  // The entry and the chunks it imports statically load with the app; the rest only on demand.
  const eager = new Set<string>()
  const visit = (file: string) => {
    if (eager.has(file)) return
    eager.add(file)
    for (const i of outputs[file]!.imports) if (i.kind === 'import-statement') visit(i.path)
  }
  visit(Object.keys(outputs).find((f) => outputs[f]!.entryPoint !== undefined)!)
  const files = Object.keys(outputs).filter((f) => f.endsWith('.js'))
  return { entry: files.filter((f) => eager.has(f)).flatMap(modules), lazy: files.filter((f) => !eager.has(f)).flatMap(modules) }
}

describe('the sync client in a bundle', () => {
  it('a client speaking JSON ships no cbor-x: it is loaded on demand, only by a client that asks for CBOR', async () => {
    const { entry, lazy } = await bundle(`import { connectStore } from 'patchdb/client'; export const c = connectStore`)
    expect(entry.some((p) => p.includes('node_modules/cbor-x/'))).toBe(false)
    expect(lazy.some((p) => p.includes('node_modules/cbor-x/'))).toBe(true) // the check can see it
  }, 60_000)
})
