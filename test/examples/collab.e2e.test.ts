import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCollab } from '../../examples/collab/server'
import { launchChromium, pageWithErrors } from '../support/chromium'
import { buildExample } from '../support/example-server'
import { proxy, type Proxy } from '../sync/proxy'

// The collab example as `npm run collab` runs it (the built app and a durable sync server on
// one port), in two Chromium profiles. Page B syncs through a relay the test cuts: its socket
// drops and it cannot reconnect, as when a laptop goes offline.

const shots = 'test-results' // gitignored: look at them after a run
let browser: Browser
let app: Awaited<ReturnType<typeof startCollab>>
let outDir: string
let data: string
let line: Proxy

beforeAll(async () => {
  outDir = await buildExample('examples/collab/vite.config.ts')
  data = mkdtempSync(join(tmpdir(), 'patchdb-collab-'))
  app = await startCollab({ data, app: outDir })
  line = await proxy(app.port)
  browser = await launchChromium()
  mkdirSync(shots, { recursive: true })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await line?.close()
  await app?.close()
  rmSync(outDir, { recursive: true, force: true })
  rmSync(data, { recursive: true, force: true })
})

const titles = (page: Page) => page.$$eval('li.todo', (lis) => lis.map((li) => `${li.querySelector('.title')!.textContent}${li.getAttribute('data-done') === 'true' ? ' ✓' : ''}`))
const status = (page: Page) => page.getAttribute('.sync', 'data-status')
const pending = async (page: Page) => Number(await page.getAttribute('.sync', 'data-pending'))
const add = async (page: Page, title: string) => {
  await page.getByLabel('new todo').fill(title)
  await page.getByLabel('new todo').press('Enter')
  await page.locator('li.todo .title', { hasText: title }).waitFor()
}
/** Both pages online, nothing unsent, and the same list. */
async function converged(a: Page, b: Page): Promise<string[]> {
  await expect.poll(async () => [await status(a), await status(b), await pending(a), await pending(b)], { timeout: 20_000 }).toEqual(['online', 'online', 0, 0])
  await expect.poll(async () => JSON.stringify(await titles(b)), { timeout: 10_000 }).toBe(JSON.stringify(await titles(a)))
  return titles(a)
}

describe('examples/collab in Chromium', () => {
  it('two pages converge; one goes offline, writes, reloads, comes back, and both converge', async () => {
    const a = await pageWithErrors(await browser.newContext({ viewport: { width: 640, height: 520 } }))
    const b = await pageWithErrors(await browser.newContext({ viewport: { width: 640, height: 520 } }))
    await a.page.goto(app.url)
    const bUrl = `${app.url}?sync=${encodeURIComponent(`${line.url}/sync`)}`
    await b.page.goto(bUrl)
    expect(await converged(a.page, b.page)).toEqual(['Open this page in two browsers', 'Go offline in one, write, come back'])

    await add(a.page, 'Milk')
    await b.page.locator('li.todo .title', { hasText: 'Milk' }).waitFor()
    await a.page.screenshot({ path: `${shots}/collab-1-a-online.png` })

    // B loses its connection: the socket drops and reconnects fail.
    line.down = true
    line.cut()
    await expect.poll(() => status(b.page), { timeout: 10_000 }).not.toBe('online')
    await add(b.page, 'Eggs (written offline)')
    await b.page.locator('li.todo', { hasText: 'Milk' }).getByRole('checkbox').check()
    expect(await pending(b.page)).toBe(2)
    await add(a.page, 'Bread')
    expect(await titles(a.page)).not.toContain('Eggs (written offline)')

    // A reload while offline: the unsent writes are read back from IndexedDB.
    await b.page.reload()
    await b.page.locator('li.todo .title', { hasText: 'Eggs (written offline)' }).waitFor()
    expect(await pending(b.page)).toBe(2)
    expect(await titles(b.page)).toContain('Milk ✓')
    await b.page.screenshot({ path: `${shots}/collab-2-b-offline.png` })

    line.down = false
    const final = await converged(a.page, b.page)
    expect(final.slice().sort()).toEqual(['Bread', 'Eggs (written offline)', 'Go offline in one, write, come back', 'Milk ✓', 'Open this page in two browsers'].sort())
    await a.page.screenshot({ path: `${shots}/collab-3-a-converged.png` })
    await b.page.screenshot({ path: `${shots}/collab-3-b-converged.png` })

    expect(a.errors).toEqual([])
    // B's only console errors are Chromium's reports of the refused reconnects.
    expect(b.errors.filter((e) => !/WebSocket connection to .* failed/.test(e))).toEqual([])
  }, 90_000)
})
