import { mkdirSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { servePage } from '../support/page-server'
import type { ExtensionPageApi } from './page/main'
import { reachFrontends, type Frontends } from './support/devtools-frontend'
import { launchWithExtension, type ExtensionBrowser } from './support/extension'

declare global {
  var extensionPage: ExtensionPageApi
}

const shots = 'test-results/extension'
let served: Awaited<ReturnType<typeof servePage>>
let ext: ExtensionBrowser
let frontends: Frontends

beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  served = await servePage(new URL('./page/main.ts', import.meta.url))
  ext = await launchWithExtension({ devtools: true })
  frontends = await reachFrontends(ext)
}, 90_000)

afterAll(async () => {
  await frontends?.close()
  await ext?.close()
  await served?.close()
})

/** What the panel shows: its header, and the revision list's options (inside the panel's shadow root). */
const READ_PANEL = `({
  header: document.querySelector('header')?.innerText ?? '',
  options: [...(document.querySelector('[data-patchdb-devtools]')?.shadowRoot?.querySelectorAll('[role=option]') ?? [])].map((o) => o.textContent),
  tabId: chrome.devtools.inspectedWindow.tabId,
})`

describe('the extension in real DevTools (auto-opened, new headless)', () => {
  it("DevTools gets a patchdb panel that shows the inspected tab's store and its revisions", async () => {
    const page = await ext.context.newPage()
    await page.goto(`${served.url}?stores=app`)
    await page.waitForFunction(() => typeof globalThis.extensionPage === 'object')
    await page.evaluate(() => extensionPage.set('app', '/n', 1, 'seen in DevTools'))

    // Every DevTools window loads the extension's devtools page, which adds the panel; show it.
    const devtoolsPage = `chrome-extension://${ext.extensionId}/devtools.html`
    await expect.poll(async () => (await frontends.targets(devtoolsPage)).length, { timeout: 10_000 }).toBeGreaterThan(0)
    // Show it in each window until the test page's panel is there (a window may not have added it yet).
    const showPanels = async () => {
      for (const w of await frontends.targets('devtools://')) await frontends.evaluate(w.targetId, `DevToolsAPI.showPanel(${JSON.stringify(`chrome-extension://${ext.extensionId}patchdb`)})`)
    }

    // The panel of the test page's DevTools connects to its store, and sees what happens there.
    const panelOfPage = async () => {
      await showPanels()
      for (const t of await frontends.targets(`chrome-extension://${ext.extensionId}/panel.html`)) {
        if (t.type !== 'iframe') continue
        const seen = await frontends.evaluate<{ header: string; options: string[]; tabId: number }>(t.targetId, READ_PANEL)
        if (seen.header.includes('Connected to app')) return { targetId: t.targetId, ...seen }
      }
      return null
    }
    await expect.poll(panelOfPage, { timeout: 30_000 }).toMatchObject({ options: [] })
    await page.evaluate(() => extensionPage.set('app', '/n', 2, 'after the panel opened'))
    await expect.poll(async () => (await panelOfPage())?.options).toEqual([expect.stringMatching(/^#2\s*after the panel opened/)])

    // A picture of each DevTools window (one per tab: the test page's shows the revision).
    for (const [i, w] of (await frontends.targets('devtools://')).entries()) writeFileSync(`${shots}/devtools-window-${i}.png`, Buffer.from(await frontends.screenshot(w.targetId), 'base64'))
    await page.close()
  }, 60_000)
})
