import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Browser } from 'playwright-core'
import { renderToString } from 'react-dom/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStore, serializeDump } from 'patchdb'
import { launchChromium, pageWithErrors } from '../support/chromium'
import type { SsrProbe } from './fixtures/ssr-client'
import { App, PatchProvider, pageDump, type Page } from './fixtures/ssr-app'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
let server: Server
let browser: Browser
let url: string
let appHtml: string

beforeAll(async () => {
  // The client bundle, built now; tsconfig paths map the public entries to the sources.
  const bundle = await build({
    entryPoints: [here('./fixtures/ssr-client.tsx')],
    tsconfig: here('../../tsconfig.json'),
    bundle: true,
    write: false,
    format: 'esm',
    jsx: 'automatic',
    // Development React: hydration mismatches are reported through console.error.
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  })
  const client = bundle.outputFiles[0]!.text
  const store = createStore<Page>(pageDump())
  appHtml = renderToString(<PatchProvider store={store}><App /></PatchProvider>)
  const page = `<!doctype html><html><head><link rel="icon" href="data:,"></head><body><div id="root">${appHtml}</div>
<script>window.__PATCHDB__ = ${serializeDump(store.dump())}</script>
<script type="module" src="/client.js"></script></body></html>`
  server = createServer((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page)
    else if (req.url === '/client.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(client)
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => server?.close(resolve))
})

describe('SSR end to end in Chromium', () => {
  it('hydrates server HTML from an inline dump, then a revision re-renders only what it touched', async () => {
    const { page, errors } = await pageWithErrors(browser)
    await page.goto(url)
    await page.waitForFunction(() => (window as unknown as { __ssr?: SsrProbe }).__ssr?.renders.late === 1)

    const probe = () =>
      page.evaluate(() => {
        const { renders, recoverable, store } = (window as unknown as { __ssr: SsrProbe }).__ssr
        return { renders: { ...renders }, recoverable, revision: store.revision, html: document.getElementById('root')!.innerHTML }
      })
    const hydrated = await probe()
    expect(hydrated.html).toBe(appHtml)
    expect(hydrated.revision).toBe(7)
    expect(hydrated.recoverable).toEqual([])
    expect(hydrated.renders).toEqual({ title: 1, item0: 1, item1: 1, item2: 1, revision: 1, late: 1 })
    expect(await page.locator('script').count()).toBe(2) // the dump's '</script>' did not end its script
    expect(await page.textContent('h1')).toBe('Hello </script><!-- \u2028')

    await page.evaluate(() => {
      const { renders, store } = (window as unknown as { __ssr: SsrProbe }).__ssr
      for (const k of Object.keys(renders)) delete renders[k]
      store.update({ id: 8, patch: [{ op: 'replace', path: '/items/2/label', value: 'THREE' }] })
    })
    await page.waitForSelector('li[data-i="2"]:text-is("THREE")')
    const updated = await probe()
    expect(updated.revision).toBe(8)
    expect(updated.renders).toEqual({ item2: 1, revision: 1 })
    expect(await page.textContent('#revision')).toBe('8')
    expect(errors).toEqual([])
    await page.close()
  }, 30_000)
})
