import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, pageWithErrors } from '../support/chromium'
import { root } from '../support/run-once'
import { buildStorybookOnce, serveStatic } from '../support/storybook'

// The Patches panel in the static Storybook's manager, in Chromium: the devtools panel fed
// by the story's inspector over the Storybook channel. Screenshots go to
// test-results/storybook/ to be looked at.

const shots = join(root, 'test-results/storybook')
let browser: Browser
let site: { url: string; close(): Promise<void> }

beforeAll(async () => {
  const dir = await buildStorybookOnce()
  ;[site, browser] = await Promise.all([serveStatic(dir), launchChromium()])
  mkdirSync(shots, { recursive: true })
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await site?.close()
})

/** The manager showing `storyId` with the Patches panel open; the panel is the devtools region inside it. */
async function openPatches(storyId: string): Promise<{ page: Page; errors: string[]; panel: Locator; preview: FrameLocator }> {
  const { page, errors } = await pageWithErrors(browser)
  await page.setViewportSize({ width: 1300, height: 900 })
  await page.goto(`${site.url}?path=/story/${storyId}`)
  await page.getByRole('tab', { name: 'Patches' }).click()
  return { page, errors, panel: page.getByRole('region', { name: 'patchdb devtools' }), preview: page.frameLocator('#storybook-preview-iframe') }
}

/** expect.poll with room for a loaded machine (its default gives up after one second). */
const poll = <T,>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000 })
const ids = (panel: Locator) => panel.getByRole('listbox', { name: 'Revisions' }).getByRole('option').evaluateAll((os) => os.map((o) => o.textContent?.match(/^#\d+/)?.[0]))
const titles = (preview: FrameLocator) => preview.locator('li.todo .title').allTextContents()

describe('the Patches panel', () => {
  it("shows the story's revisions as it writes them, and time travel changes the story", async () => {
    const { page, errors, panel, preview } = await openPatches('todo-example--empty')
    // The play function added 'Buy milk'.
    await poll(() => ids(panel)).toEqual(['#1'])
    await preview.getByRole('textbox', { name: 'new todo' }).fill('Buy bread')
    await preview.getByRole('button', { name: 'Add', exact: true }).click()
    await poll(() => ids(panel)).toEqual(['#1', '#2'])
    await poll(() => titles(preview)).toEqual(['Buy milk', 'Buy bread'])
    await page.screenshot({ path: join(shots, 'patches-live.png') })

    await panel.getByRole('option', { name: /^#1/ }).dblclick()
    await poll(() => titles(preview)).toEqual(['Buy milk'])
    await panel.getByRole('button', { name: 'Step forward' }).click()
    await poll(() => titles(preview)).toEqual(['Buy milk', 'Buy bread'])
    await panel.getByRole('button', { name: 'Step back' }).click()
    await poll(() => titles(preview)).toEqual(['Buy milk'])
    await panel.getByRole('tab', { name: 'State' }).click()
    await page.screenshot({ path: join(shots, 'patches-travelled.png') })
    await panel.getByRole('button', { name: 'Live' }).click()
    await poll(() => titles(preview)).toEqual(['Buy milk', 'Buy bread'])

    // Skip commits a new head without #1: the story shows it.
    await panel.getByRole('option', { name: /^#1/ }).click()
    await panel.getByRole('button', { name: 'Skip' }).click()
    await poll(() => titles(preview)).toEqual(['Buy bread'])
    expect(errors).toEqual([])
    await page.close()
  }, 60_000)

  it('each story has its own store: switching stories shows only the new story’s revisions', async () => {
    const { page, errors, panel, preview } = await openPatches('todo-example--empty')
    await poll(() => ids(panel)).toEqual(['#1'])
    await preview.getByRole('textbox', { name: 'new todo' }).fill('Only in Empty')
    await preview.getByRole('button', { name: 'Add', exact: true }).click()
    await poll(() => ids(panel)).toEqual(['#1', '#2'])

    await page.getByRole('link', { name: 'Many' }).click()
    await expect(panel.getByText('patchdb · Many')).toBeDefined()
    // Many's play ticked one todo: one revision, of Many's store.
    await poll(() => ids(panel)).toEqual(['#1'])
    await poll(() => preview.locator('li.todo').count()).toBe(30)
    await page.getByRole('link', { name: 'Empty' }).click()
    // Back to Empty: a fresh store, with what its play function wrote only.
    await poll(() => ids(panel)).toEqual(['#1'])
    await poll(() => titles(preview)).toEqual(['Buy milk'])
    expect(errors).toEqual([])
    await page.close()
  }, 60_000)

  it('an args change gives the story a fresh store (its revisions gone, its seed back); a re-render with the same args keeps it', async () => {
    const { page, errors, panel, preview } = await openPatches('render-counts--one-row-changes')
    await poll(() => ids(panel)).toEqual(['#1', '#2'])
    const row5 = () => preview.getByRole('list', { name: 'usePatch per row' }).getByRole('listitem').nth(5).textContent()
    const wholeRenders = () => preview.getByRole('list', { name: 'one whole-state selector' }).getByRole('listitem').first().getAttribute('data-renders')
    await expect(row5()).resolves.toMatch(/^Row 5: 2/)
    await expect(wholeRenders()).resolves.toBe('3')

    // A re-render with the same args (what a toolbar global does) keeps the store.
    await page.evaluate(() => (window as any).__STORYBOOK_ADDONS_CHANNEL__.emit('forceReRender'))
    await poll(wholeRenders).toBe('4')
    await expect(row5()).resolves.toMatch(/^Row 5: 2/)
    await poll(() => ids(panel)).toEqual(['#1', '#2'])

    await page.getByRole('tab', { name: 'Controls' }).click()
    await page.locator('#control-bump').fill('3')
    await poll(() => preview.getByRole('button', { name: 'Bump row 3' }).count()).toBe(1)
    await expect(row5()).resolves.toMatch(/^Row 5: 0/)
    await page.getByRole('tab', { name: 'Patches' }).click()
    await poll(() => panel.getByText('0 recorded').count()).toBe(1)
    await preview.getByRole('button', { name: 'Bump row 3' }).click()
    await poll(() => ids(panel)).toEqual(['#1'])
    await page.screenshot({ path: join(shots, 'patches-after-args-change.png') })
    expect(errors).toEqual([])
    await page.close()
  }, 60_000)
})
