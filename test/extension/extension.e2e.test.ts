import { mkdirSync } from 'node:fs'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { servePage } from '../support/page-server'
import type { ExtensionPageApi } from './page/main'
import { launchWithExtension, openPanel, stopServiceWorker, tabIdOf, type ExtensionBrowser } from './support/extension'

declare global {
  var extensionPage: ExtensionPageApi
}

const shots = 'test-results/extension' // gitignored: look at them after a run
let served: Awaited<ReturnType<typeof servePage>>
let ext: ExtensionBrowser

beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  served = await servePage(new URL('./page/main.ts', import.meta.url))
  ext = await launchWithExtension()
}, 90_000)

afterAll(async () => {
  await ext?.close()
  await served?.close()
})

let tabs = 0
/** A tab on the test page (its address unique, so that its tab id can be found), and the panel for that tab. */
async function openTab(query = ''): Promise<{ page: Page; tabId: number; errors: string[] }> {
  const page = await ext.context.newPage()
  page.setDefaultTimeout(10_000)
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  const mark = `tab=${++tabs}`
  await page.goto(`${served.url}?${mark}${query ? `&${query}` : ''}`)
  await page.waitForFunction(() => typeof globalThis.extensionPage === 'object')
  return { page, tabId: await tabIdOf(ext, mark), errors }
}

const region = (panel: Page) => panel.getByRole('region', { name: 'patchdb devtools' })
const options = (devtools: Locator) => devtools.getByRole('listbox', { name: 'Revisions' }).getByRole('option').allTextContents()
/** The panel's connection status reads `Connected to <name>`. */
const connected = (panel: Page, name = 'app') => panel.getByRole('status', { name: 'Connection' }).filter({ hasText: `Connected to ${name}` }).waitFor()
const shown = (page: Page, name = 'app') => page.locator(`pre[data-store="${name}"]`).textContent()

describe('the patchdb extension in Chromium', () => {
  it('the panel lists the revisions of the inspected tab, and a jump back changes the page', async () => {
    const { page, tabId, errors } = await openTab()
    const { panel, errors: panelErrors } = await openPanel(ext, tabId)
    const devtools = region(panel)
    await connected(panel)
    await page.evaluate(() => extensionPage.set('app', '/n', 1, 'one'))
    await page.evaluate(() => extensionPage.set('app', '/n', 2, 'two'))
    await expect.poll(() => options(devtools)).toEqual([expect.stringMatching(/^#1 one/), expect.stringMatching(/^#2 two/)])
    await panel.screenshot({ path: `${shots}/revisions.png` })

    await devtools.getByRole('option', { name: /^#1 / }).dblclick()
    await expect.poll(() => shown(page)).toBe('{"n":1}')
    await panel.screenshot({ path: `${shots}/jumped.png` })
    expect(errors).toEqual([])
    expect(panelErrors).toEqual([])
    await Promise.all([page.close(), panel.close()])
  })

  it('a reload reconnects the panel; by default the history starts afresh', async () => {
    const { page, tabId } = await openTab()
    const { panel, errors } = await openPanel(ext, tabId)
    const devtools = region(panel)
    await connected(panel)
    await page.evaluate(() => extensionPage.set('app', '/n', 1, 'before reload'))
    await expect.poll(() => options(devtools)).toEqual([expect.stringMatching(/^#1 before reload/)])
    await page.reload()
    await page.waitForFunction(() => typeof globalThis.extensionPage === 'object')
    await connected(panel)
    await expect.poll(() => options(devtools)).toEqual([])
    await page.evaluate(() => extensionPage.set('app', '/n', 5, 'after reload'))
    await page.evaluate(() => extensionPage.set('app', '/n', 6, 'again'))
    await expect.poll(() => options(devtools)).toEqual([expect.stringMatching(/^#1 after reload/), expect.stringMatching(/^#2 again/)])
    // The reloaded page travels too: the connection is the new document's.
    await devtools.getByRole('button', { name: 'Step back' }).click()
    await expect.poll(() => shown(page)).toBe('{"n":5}')
    await panel.screenshot({ path: `${shots}/reloaded.png` })
    expect(errors).toEqual([])
    await Promise.all([page.close(), panel.close()])
  })

  it('with "Keep history on reload", the reloaded page gets the history back, replayed into its store', async () => {
    const { page, tabId } = await openTab()
    const { panel, errors } = await openPanel(ext, tabId)
    const devtools = region(panel)
    await connected(panel)
    await panel.getByRole('checkbox', { name: 'Keep history on reload' }).check()
    await page.evaluate(() => extensionPage.set('app', '/n', 1, 'one'))
    await page.evaluate(() => extensionPage.set('app', '/n', 2, 'two'))
    await expect.poll(() => options(devtools)).toHaveLength(2)
    await page.reload()
    await page.waitForFunction(() => typeof globalThis.extensionPage === 'object')
    await expect.poll(() => options(devtools)).toEqual([expect.stringMatching(/^#1 one/), expect.stringMatching(/^#2 two/)])
    await expect.poll(() => shown(page)).toBe('{"n":2}')
    // The kept history travels in the reloaded page.
    await devtools.getByRole('option', { name: /^#1 / }).dblclick()
    await expect.poll(() => shown(page)).toBe('{"n":1}')
    await panel.screenshot({ path: `${shots}/kept.png` })
    // The option is the user's: a new panel reads it back.
    await panel.getByRole('checkbox', { name: 'Keep history on reload' }).uncheck()
    expect(errors).toEqual([])
    await Promise.all([page.close(), panel.close()])
  })

  it('forged messages from the page are refused: nothing shows in the panel but the refusal', async () => {
    const { page, tabId } = await openTab()
    const { panel } = await openPanel(ext, tabId)
    const devtools = region(panel)
    await connected(panel)
    await page.evaluate(() => extensionPage.set('app', '/n', 1, 'real'))
    await expect.poll(() => options(devtools)).toHaveLength(1)
    const entry = (patch: unknown, label = 'forged') => ({ type: 'entry', entry: { id: 99, patch, inverse: [], time: 0, origin: 'local', label, skipped: false } })
    await page.evaluate(
      ([forgedProto, forgedLong, forgedValid]) => {
        const source = extensionPage.source
        // Wrong shapes under the right tag: refused by the relay's validation.
        extensionPage.forge({ source, to: 'panel', name: 'app', message: forgedProto })
        extensionPage.forge({ source, to: 'panel', name: 'app', message: forgedLong })
        extensionPage.forge({ source, to: 'panel', name: 'app', message: { type: 'hello', version: 2 } })
        // Without the tag, or from another window (a child frame posting to its parent): never read.
        extensionPage.forge({ to: 'panel', name: 'app', message: forgedValid })
        const frame = document.createElement('iframe')
        frame.srcdoc = `<script>parent.postMessage(${JSON.stringify({ source, to: 'panel', name: 'app', message: forgedValid })}, '*')</script>`
        document.body.append(frame)
        // A store list that is not one: ignored.
        extensionPage.forge({ source, to: 'extension', type: 'stores', names: [{ toString: null }, 'x'.repeat(10_000)] })
      },
      [entry([{ op: 'add', path: '/__proto__/polluted', value: 1 }]), entry([], 'x'.repeat(100_001)), entry([{ op: 'add', path: '/forged', value: 1 }])],
    )
    await expect.poll(() => panel.getByRole('alert').textContent()).toMatch(/not patchdb's/)
    await page.evaluate(() => extensionPage.set('app', '/n', 2, 'real again'))
    await expect.poll(() => options(devtools)).toEqual([expect.stringMatching(/^#1 real/), expect.stringMatching(/^#2 real again/)])
    expect(await panel.getByRole('combobox', { name: 'Store' }).locator('option').allTextContents()).toEqual(['app'])
    expect(await panel.evaluate(() => ({} as Record<string, unknown>).polluted)).toBeUndefined()
    await panel.screenshot({ path: `${shots}/forged.png` })
    await Promise.all([page.close(), panel.close()])
  })

  it('two tabs are isolated: a panel lists and reaches its own tab only', async () => {
    const a = await openTab()
    const b = await openTab()
    const { panel } = await openPanel(ext, a.tabId)
    const devtools = region(panel)
    await connected(panel)
    await a.page.evaluate(() => extensionPage.set('app', '/n', 1, 'in A'))
    await b.page.evaluate(() => extensionPage.set('app', '/n', 7, 'in B'))
    await b.page.evaluate(() => extensionPage.set('app', '/n', 8, 'in B again'))
    await expect.poll(() => options(devtools)).toEqual([expect.stringMatching(/^#1 in A/)])
    expect(await panel.getByRole('combobox', { name: 'Store' }).locator('option').allTextContents()).toEqual(['app'])
    // Travel in A's panel moves A's store, never B's.
    await devtools.getByRole('option', { name: /^#1 / }).click()
    await devtools.getByRole('button', { name: 'Reset' }).click()
    await expect.poll(() => shown(a.page)).toBe('{"n":0}')
    expect(await shown(b.page)).toBe('{"n":8}')
    await Promise.all([a.page.close(), b.page.close(), panel.close()])
  })

  it('several stores per page and per frame (same origin or not) are listed by name, each reached through its own frame', async () => {
    const { page, tabId } = await openTab('stores=app,cart')
    const remote = served.url.replace('127.0.0.1', 'localhost')
    await page.evaluate((src) => extensionPage.frame(src), '/?stores=inner')
    await page.evaluate((src) => extensionPage.frame(src), `${remote}?stores=remote`)
    const { panel } = await openPanel(ext, tabId)
    const devtools = region(panel)
    const store = panel.getByRole('combobox', { name: 'Store' })
    await expect.poll(async () => (await store.locator('option').allTextContents()).sort()).toEqual([
      'app',
      'cart',
      `inner (frame ${served.url}?stores=inner)`,
      `remote (frame ${remote}?stores=remote)`,
    ])
    await connected(panel, 'app')
    await page.evaluate(() => extensionPage.set('cart', '/n', 1, 'cart only'))
    await store.selectOption({ label: 'cart' })
    await connected(panel, 'cart')
    await expect.poll(() => options(devtools)).toEqual([])
    await page.evaluate(() => extensionPage.set('cart', '/n', 2, 'cart two'))
    await page.evaluate(() => extensionPage.set('app', '/n', 2, 'app two'))
    await expect.poll(() => options(devtools)).toEqual([expect.stringMatching(/^#2 cart two/)])

    await store.selectOption({ label: `remote (frame ${remote}?stores=remote)` })
    await connected(panel, 'remote')
    const frame = page.frames().find((f) => f.url().startsWith(remote))!
    await frame.evaluate(() => extensionPage.set('remote', '/n', 3, 'in the other origin'))
    await expect.poll(() => options(devtools)).toEqual([expect.stringMatching(/^#1 in the other origin/)])
    await devtools.getByRole('button', { name: 'Reset' }).click()
    await expect.poll(() => frame.evaluate(() => extensionPage.get('remote'))).toEqual({ n: 0 })
    expect(await page.evaluate(() => extensionPage.get('cart'))).toEqual({ n: 2 })
    await panel.screenshot({ path: `${shots}/frames.png` })
    await Promise.all([page.close(), panel.close()])
  })

  it('with the extension, nothing is recorded before a panel connects; DevTools closed and reopened finds what was recorded meanwhile, and a travel left open goes back live', async () => {
    const { page, tabId } = await openTab()
    await page.evaluate(() => extensionPage.set('app', '/n', 1, 'before any panel'))
    const first = await openPanel(ext, tabId)
    await connected(first.panel)
    await first.panel.getByRole('tab', { name: 'State' }).waitFor()
    expect(await options(region(first.panel))).toEqual([])
    await page.evaluate(() => extensionPage.set('app', '/n', 2, 'two'))
    await page.evaluate(() => extensionPage.set('app', '/n', 3, 'three'))
    await expect.poll(() => options(region(first.panel))).toHaveLength(2)
    await region(first.panel).getByRole('option', { name: /^#2 / }).dblclick()
    await expect.poll(() => shown(page)).toBe('{"n":2}')
    await first.panel.close()
    // The panel is gone: the page shows its head again, and takes writes.
    await expect.poll(() => shown(page)).toBe('{"n":3}')
    await page.evaluate(() => extensionPage.set('app', '/n', 4, 'while closed'))
    const second = await openPanel(ext, tabId)
    await connected(second.panel)
    await expect.poll(() => options(region(second.panel))).toEqual([expect.stringMatching(/^#2 two/), expect.stringMatching(/^#3 three/), expect.stringMatching(/^#4 while closed/)])
    await Promise.all([page.close(), second.panel.close()])
  })

  it('stopping the service worker mid-session drops nothing: revisions keep coming, a reload reconnects, a store added later is listed', async () => {
    const { page, tabId } = await openTab()
    const { panel, errors } = await openPanel(ext, tabId)
    const devtools = region(panel)
    await connected(panel)
    await page.evaluate(() => extensionPage.set('app', '/n', 1, 'before the stop'))
    await expect.poll(() => options(devtools)).toHaveLength(1)

    await stopServiceWorker(ext)

    await page.evaluate(() => extensionPage.set('app', '/n', 2, 'after the stop'))
    await expect.poll(() => options(devtools)).toEqual([expect.stringMatching(/^#1 before the stop/), expect.stringMatching(/^#2 after the stop/)])
    // A new list wakes the worker (only it writes the lists the panel reads).
    await page.evaluate(() => extensionPage.add('late'))
    await expect.poll(() => panel.getByRole('combobox', { name: 'Store' }).locator('option').allTextContents()).toEqual(['app', 'late'])

    await stopServiceWorker(ext)
    await page.reload()
    await page.waitForFunction(() => typeof globalThis.extensionPage === 'object')
    await connected(panel)
    await page.evaluate(() => extensionPage.set('app', '/n', 3, 'reloaded'))
    await expect.poll(() => options(devtools)).toEqual([expect.stringMatching(/^#1 reloaded/)])
    expect(errors).toEqual([])
    await Promise.all([page.close(), panel.close()])
  }, 30_000)

  it('a message over Chrome\'s 64 MiB port limit arrives in chunks (Chrome refuses it whole)', async () => {
    const { page, tabId } = await openTab()
    const { panel, errors } = await openPanel(ext, tabId)
    const devtools = region(panel)
    await connected(panel)
    // Chrome's limit is real: the same size in one port message throws.
    const refused = await panel.evaluate(async (tabId) => {
      const port = chrome.tabs.connect(tabId, { name: 'limit-probe', frameId: 0 })
      try {
        port.postMessage('x'.repeat(65 * 2 ** 20))
        return null
      } catch (e) {
        return String(e)
      } finally {
        port.disconnect()
      }
    }, tabId)
    expect(refused).toMatch(/exceeded maximum allowed size of 64MiB/)

    await devtools.getByRole('tab', { name: 'Watchers' }).click() // not the Patch tab: it would print 70 MB
    await page.evaluate(() => extensionPage.bigRows('app', 70_000, 1_000))
    await expect.poll(() => options(devtools), { timeout: 60_000 }).toEqual([expect.stringMatching(/^#1 big rows/)])
    // The rebuilt document holds every row.
    await page.evaluate(() => extensionPage.set('app', '/n', 1, 'small after big'))
    await expect.poll(() => options(devtools)).toHaveLength(2)
    expect(errors).toEqual([])
    await Promise.all([page.close(), panel.close()])
  }, 120_000)

  it('a burst of 500 revisions in one task reaches the panel whole and in order', async () => {
    const { page, tabId } = await openTab()
    const { panel, errors } = await openPanel(ext, tabId)
    const devtools = region(panel)
    await connected(panel)
    await page.evaluate(() => {
      for (let i = 1; i <= 500; i++) extensionPage.set('app', '/n', i, `burst ${i}`)
    })
    await devtools.getByRole('status').filter({ hasText: '500 recorded' }).waitFor()
    await devtools.getByRole('option', { name: /^#500 burst 500/ }).waitFor()
    expect(errors).toEqual([])
    await Promise.all([page.close(), panel.close()])
  })
})
