import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/chromium'
import { servePage } from '../support/page-server'
import type { PageApi } from './page/main'

// Real Chromium: window.postMessage's event.source and structured cloning are the browser's.
declare global {
  var devtoolsPage: PageApi
}

let served: Awaited<ReturnType<typeof servePage>>
let url: string
let browser: Browser

beforeAll(async () => {
  served = await servePage(new URL('./page/main.ts', import.meta.url))
  url = served.url
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await served?.close()
})

async function open(): Promise<Page> {
  const page = await browser.newPage()
  page.setDefaultTimeout(10_000)
  await page.goto(url)
  await page.waitForFunction(() => typeof globalThis.devtoolsPage === 'object')
  return page
}
const settle = (page: Page) => page.evaluate(() => new Promise((r) => setTimeout(r, 20)))
const got = (page: Page) => page.evaluate(() => devtoolsPage.got())

describe('connectDevtools in Chromium (window.postMessage)', () => {
  it('costs nothing until a panel connects: nothing is recorded before connect', async () => {
    const page = await open()
    await page.evaluate(() => devtoolsPage.set(1))
    await page.evaluate(() => devtoolsPage.post({ type: 'connect', version: 1 }))
    await settle(page)
    const hello = (await got(page)).find((m) => m.type === 'hello')
    expect(hello).toMatchObject({ name: 'app', base: { id: 1, value: { n: 1 } }, entries: [] })
    await page.close()
  })

  it('a connected panel receives labelled entries and travels the store', async () => {
    const page = await open()
    await page.evaluate(() => devtoolsPage.post({ type: 'connect', version: 1 }))
    await settle(page)
    await page.evaluate(() => devtoolsPage.set(1, 'inc'))
    await settle(page)
    const entries = (await got(page)).flatMap((m) => (m.type === 'entry' ? [m.entry] : []))
    expect(entries.map((e) => [e.id, e.label, e.patch])).toEqual([[1, 'inc', [{ op: 'replace', path: '/n', value: 1 }]]])
    await page.evaluate(() => devtoolsPage.post({ type: 'jump', id: 0 }))
    await settle(page)
    expect(await page.evaluate(() => devtoolsPage.get())).toEqual({ n: 0 })
    expect((await got(page)).at(-1)).toEqual({ type: 'status', head: 1, viewing: 0, paused: false })
    expect(await page.evaluate(() => devtoolsPage.invalid())).toEqual([])
    await page.close()
  })

  it('messages without the source tag, for another store, or from another window are ignored', async () => {
    const page = await open()
    await page.evaluate(() => devtoolsPage.post({ type: 'connect', version: 1 }, { source: 'someone-else' }))
    await page.evaluate(() => devtoolsPage.post({ type: 'connect', version: 1 }, { name: 'other-store' }))
    await page.evaluate(() => devtoolsPage.postFromFrame({ type: 'connect', version: 1 }))
    await settle(page)
    expect(await got(page)).toEqual([])
    await page.close()
  })

  it('forged commands are refused with an error message each, and the store is untouched', async () => {
    const page = await open()
    await page.evaluate(() => devtoolsPage.post({ type: 'connect', version: 1 }))
    await page.evaluate(() => devtoolsPage.set(1))
    await settle(page)
    const forged = [
      { type: 'jump', id: '0' },
      {
        type: 'import',
        requestId: 1,
        log: { format: 'patchdb-log', version: 1, base: { id: 0, value: {} }, revisions: [{ id: 1, patch: [{ op: 'add', path: '/__proto__/polluted', value: 1 }], time: 0, origin: 'local', skipped: false }] },
      },
      { type: 'hello', version: 1 },
      { type: 'connect', version: 2 },
      'a string',
    ]
    await page.evaluate((list) => list.forEach((m) => devtoolsPage.post(m)), forged)
    await settle(page)
    const errors = (await got(page)).filter((m) => m.type === 'error')
    expect(errors).toHaveLength(forged.length)
    expect(errors.map((e) => (e.type === 'error' ? e.message : '')).join('\n')).toMatch(/unsafe segment '__proto__'/)
    expect(await page.evaluate(() => devtoolsPage.get())).toEqual({ n: 1 })
    expect(await page.evaluate(() => devtoolsPage.polluted())).toBeUndefined()
    await page.close()
  })

  it('disconnecting lifts any travel and detaches the inspector', async () => {
    const page = await open()
    await page.evaluate(() => devtoolsPage.post({ type: 'connect', version: 1 }))
    await page.evaluate(() => devtoolsPage.set(1))
    await settle(page)
    await page.evaluate(() => devtoolsPage.post({ type: 'jump', id: 0 }))
    await settle(page)
    expect(await page.evaluate(() => devtoolsPage.get())).toEqual({ n: 0 })
    await page.evaluate(() => devtoolsPage.disconnect())
    expect(await page.evaluate(() => devtoolsPage.get())).toEqual({ n: 1 })
    await page.evaluate(() => devtoolsPage.set(2))
    expect(await page.evaluate(() => devtoolsPage.revision())).toBe(2)
    await page.close()
  })
})
