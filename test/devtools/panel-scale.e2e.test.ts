import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, pageWithErrors } from '../support/chromium'
import { bundleFixture } from './support/bundle-fixture'

let browser: Browser
let script: string

beforeAll(async () => {
  script = await bundleFixture('big-log.tsx')
  browser = await launchChromium()
}, 60_000)
afterAll(() => browser?.close())

const inDom = (page: Page) => page.getByRole('option').count()

describe('the panel at scale, in Chromium', () => {
  it('10,000 revisions on a 100,000-row document: a screenful of options in the DOM, selection and the State tab follow the keyboard', async () => {
    const { page, errors } = await pageWithErrors(browser)
    await page.setViewportSize({ width: 1000, height: 700 })
    await page.setContent('<!doctype html><html><body style="margin:0"></body></html>')
    // The fixture records its 10,000 revisions, then renders the panel inline.
    await page.addScriptTag({ content: script })
    const list = page.getByRole('listbox', { name: 'Revisions' })
    await list.waitFor()
    await expect(list.getByRole('option', { selected: true }).textContent()).resolves.toMatch(/^#10000 /)
    expect(await inDom(page)).toBeLessThan(80)
    expect(await list.getByRole('option', { selected: true }).getAttribute('aria-setsize')).toBe('10000')

    await list.focus()
    await page.keyboard.press('Home')
    await expect(list.getByRole('option', { selected: true }).textContent()).resolves.toMatch(/^#1 /)
    await page.keyboard.press('PageDown')
    await page.keyboard.press('ArrowDown')
    expect(await inDom(page)).toBeLessThan(80)

    // Scroll to the middle with the wheel: the rows there are rendered, the first ones are not.
    await list.hover()
    for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 12_000)
    await page.waitForFunction(() => {
      const host = document.querySelector('[data-patchdb-devtools]')!.shadowRoot!
      return [...host.querySelectorAll('[role=option]')].some((o) => /^#(4|5)\d{3} /.test(o.textContent!))
    })
    expect(await page.getByRole('option', { name: /^#1 / }).count()).toBe(0)
    expect(await inDom(page)).toBeLessThan(80)

    // Select one in view, show its State tab (rebuilt from the base and the patches), jump to it.
    const option = page.getByRole('option').nth(20)
    const id = Number(/^#(\d+)/.exec((await option.textContent())!)![1])
    await option.click()
    await page.getByRole('tab', { name: 'State' }).click()
    const row = (id * 7919) % 100_000
    await expect(page.getByRole('treeitem', { name: `/rows/${row}/v` }).locator('.value').textContent()).resolves.toBe(String(id))
    await list.press('Enter') // jump: the store shows that revision
    await expect.poll(() => page.evaluate((row) => (globalThis as any).bigLog.store.get(`/rows/${row}/v`), row)).toBe(id)
    await expect.poll(() => page.evaluate(() => (globalThis as any).bigLog.store.get('/rows/' + ((10_000 * 7919) % 100_000) + '/v'))).toBe(0)
    await page.screenshot({ path: 'test-results/devtools-scale.png' })

    expect(errors).toEqual([])
  }, 120_000)
})
