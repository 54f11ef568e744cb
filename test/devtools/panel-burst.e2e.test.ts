import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, pageWithErrors } from '../support/chromium'
import { bundleFixture } from './support/bundle-fixture'

let browser: Browser
let script: string

beforeAll(async () => {
  script = await bundleFixture('burst.tsx')
  browser = await launchChromium()
}, 60_000)
afterAll(() => browser?.close())

const REVISIONS = 500

/** A page with the burst fixture's panel, its connection delivering over `transport`. */
async function openPanel(transport: string) {
  const { page, errors } = await pageWithErrors(browser)
  await page.setViewportSize({ width: 1000, height: 700 })
  await page.setContent('<!doctype html><html><body style="margin:0"></body></html>')
  await page.addScriptTag({ content: `globalThis.burstTransport = ${JSON.stringify(transport)}` })
  await page.addScriptTag({ content: script })
  const list = page.getByRole('listbox', { name: 'Revisions' })
  await list.waitFor()
  return { page, errors, list }
}

describe('the panel under a burst of messages, in Chromium', () => {
  for (const transport of ['message-channel', 'timeout']) {
    it(`a burst of ${REVISIONS} revisions delivered one message per ${transport} task: no render loop, every revision listed, the panel follows the head`, async () => {
      const { page, errors, list } = await openPanel(transport)

      await page.evaluate((n) => (globalThis as unknown as { burst: { write(n: number): void } }).burst.write(n), REVISIONS)
      await list.getByRole('option', { name: new RegExp(`^#${REVISIONS} `) }).waitFor()

      expect(errors).toEqual([])
      const selected = list.getByRole('option', { selected: true })
      await expect(selected.textContent()).resolves.toMatch(new RegExp(`^#${REVISIONS} `))
      expect(await selected.getAttribute('aria-setsize')).toBe(String(REVISIONS))
      // Followed the head: the list is scrolled to its end, the first rows are out of the DOM.
      expect(await list.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 1)).toBe(true)
      expect(await list.getByRole('option', { name: /^#1 / }).count()).toBe(0)
      await page.close()
    }, 60_000)

    it(`the user scrolling the list during a burst delivered one message per ${transport} task, the selection held on an old revision: no render loop`, async () => {
      const { page, errors, list } = await openPanel(transport)
      const write = (n: number) => (globalThis as unknown as { burst: { write(n: number): void } }).burst.write(n)
      await page.evaluate(write, REVISIONS)
      await list.getByRole('option', { name: new RegExp(`^#${REVISIONS} `) }).waitFor()
      await list.focus()
      await page.keyboard.press('Home') // the selection stays on #1: new revisions do not scroll the list
      await list.evaluate((el, n) => {
        ;(globalThis as unknown as { burst: { write(n: number): void } }).burst.write(n)
        el.scrollTop = 200 * 24 // its scroll event comes while most of the burst's messages still wait in the queue
      }, REVISIONS)
      await list.getByRole('option', { name: /^#201 / }).waitFor()
      await page.waitForFunction(
        (n) => document.querySelector('[data-patchdb-devtools]')!.shadowRoot!.querySelector('[role=option]')?.getAttribute('aria-setsize') === String(n),
        2 * REVISIONS,
      )
      expect(errors).toEqual([])
      await expect(list.getByRole('option', { selected: true }).count()).resolves.toBe(0) // #1 is scrolled out of the DOM
      await page.close()
    }, 60_000)
  }
})
