import { mkdirSync, readFileSync } from 'node:fs'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, pageWithErrors } from '../support/chromium'
import { serveExample } from '../support/example-server'

const shots = 'test-results' // gitignored: look at them after a run
let app: Awaited<ReturnType<typeof serveExample>>
let browser: Browser

beforeAll(async () => {
  app = await serveExample('examples/todo/vite.config.ts')
  browser = await launchChromium()
  mkdirSync(shots, { recursive: true })
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await app?.close()
})

const INITIAL = ['Read the patch log', 'Watch a pointer']
const titles = (page: Page) => page.$$eval('li.todo .title', (spans) => spans.map((s) => s.textContent))
const count = (page: Page, n: number) => page.waitForFunction((n) => document.querySelectorAll('li.todo').length === n, n)
const add = async (page: Page, title: string) => {
  const n = (await titles(page)).length
  await page.getByLabel('new todo').fill(title)
  await page.getByLabel('new todo').press('Enter')
  await count(page, n + 1)
}
/** Texts of the revision list's options (Playwright's role queries reach into the open shadow root). */
const options = (devtools: Locator) => devtools.getByRole('listbox', { name: 'Revisions' }).getByRole('option').allTextContents()

/** A fresh profile on the todo example with the docked panel opened from its corner toggle. */
const openPanel = async (options: { acceptDownloads?: boolean; width?: number } = {}) => {
  const { width = 1100, ...rest } = options
  const context = await browser.newContext({ viewport: { width, height: 900 }, ...rest })
  const { page, errors } = await pageWithErrors(context)
  await page.goto(app.url)
  await page.waitForSelector('li.todo')
  await page.getByRole('button', { name: 'patchdb devtools' }).click()
  const devtools = page.getByRole('region', { name: 'patchdb devtools' })
  await devtools.waitFor()
  return { context, page, errors, devtools }
}

describe('the devtools panel in the todo example, in Chromium', () => {
  it('records, filters by pointer, jumps back, skips, exports, and imports after a reload', async () => {
    // The toggle in the corner opens the docked panel.
    const { context, page, errors, devtools } = await openPanel({ acceptDownloads: true })
    expect(await options(devtools)).toEqual([])

    // Record: two todos, then a theme change (not under /todos).
    await add(page, 'one')
    await add(page, 'two')
    await page.getByRole('combobox').selectOption('dark')
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark')
    const recorded = await options(devtools)
    expect(recorded).toEqual([expect.stringMatching(/^#\d+ add \/todos\/-/), expect.stringMatching(/^#\d+ add \/todos\/-/), expect.stringMatching(/^#\d+ replace \/settings\/theme/)])
    const [addOne, addTwo] = recorded.map((t) => Number(/^#(\d+)/.exec(t)![1]))
    await page.screenshot({ path: `${shots}/devtools-recorded.png` })

    // Filter by pointer: only the revisions that touched /todos/3 ('two'), with the patch scoped to it.
    const filter = devtools.getByRole('textbox', { name: 'Filter by pointer' })
    await filter.fill('/todos/3')
    await expect.poll(() => options(devtools)).toEqual([expect.stringMatching(new RegExp(`^#${addTwo} `))])
    await devtools.getByRole('option').first().click()
    await devtools.getByRole('tab', { name: 'Patch' }).click()
    await expect(devtools.getByRole('tabpanel').textContent()).resolves.toMatch(/Scoped to \/todos\/3\s*add ""/)
    await page.screenshot({ path: `${shots}/devtools-filtered.png` })
    await filter.fill('')
    await expect.poll(async () => (await options(devtools)).length).toBe(3)

    // Jump back to the revision that added 'one': the page shows the old list and theme.
    await devtools.getByRole('option', { name: new RegExp(`^#${addOne} `) }).click()
    await devtools.getByRole('option', { name: new RegExp(`^#${addOne} `) }).press('Enter')
    await count(page, 3)
    expect(await titles(page)).toEqual([...INITIAL, 'one'])
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light')
    await devtools.getByRole('tab', { name: 'State' }).click()
    await expect(devtools.getByRole('treeitem', { name: '/todos/2/title' }).textContent()).resolves.toMatch(/"one"/)
    await page.screenshot({ path: `${shots}/devtools-jumped.png` })
    await devtools.getByRole('button', { name: 'Step forward' }).click()
    await count(page, 4)
    await devtools.getByRole('button', { name: 'Live' }).click()
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark')
    expect(await titles(page)).toEqual([...INITIAL, 'one', 'two'])

    // Skip the revision that added 'two': the head is replayed without it.
    await devtools.getByRole('option', { name: new RegExp(`^#${addTwo} `) }).click()
    await devtools.getByRole('button', { name: 'Skip' }).click()
    await count(page, 3)
    expect(await titles(page)).toEqual([...INITIAL, 'one'])
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark') // later revisions kept
    await expect(devtools.getByRole('option', { name: new RegExp(`^#${addTwo} `) }).textContent()).resolves.toMatch(/skipped/)
    await page.screenshot({ path: `${shots}/devtools-skipped.png` })

    // Export to a file.
    const [download] = await Promise.all([page.waitForEvent('download'), devtools.getByRole('button', { name: 'Export' }).click()])
    const file = `${shots}/devtools-export.json`
    await download.saveAs(file)
    const log = JSON.parse(readFileSync(file, 'utf8'))
    expect(log).toMatchObject({ format: 'patchdb-log', version: 1 })
    expect(log.revisions.find((r: { id: number }) => r.id === addTwo)).toMatchObject({ skipped: true })

    // Reload: a fresh inspector has recorded nothing; importing the file brings the log back.
    await page.reload()
    await page.waitForSelector('li.todo')
    expect(await titles(page)).toEqual([...INITIAL, 'one']) // IndexedDB kept the head
    await page.getByRole('button', { name: 'patchdb devtools' }).click()
    await devtools.waitFor()
    expect(await options(devtools)).toEqual([])
    await devtools.getByLabel('Import file').setInputFiles(file)
    await expect.poll(() => options(devtools)).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^#${addOne} `)), expect.stringMatching(new RegExp(`^#${addTwo} .*skipped`))]),
    )
    expect(await titles(page)).toEqual([...INITIAL, 'one'])
    // The imported log travels like a recorded one.
    await devtools.getByRole('option', { name: new RegExp(`^#${addOne} `) }).dblclick()
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light')
    await page.screenshot({ path: `${shots}/devtools-imported.png` })
    await devtools.getByRole('button', { name: 'Live' }).click()
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark')
    expect(errors).toEqual([])
    await context.close()
  }, 90_000)

  it("working the panel re-renders nothing in the app (the rows' and the settings' render counters stay put)", async () => {
    const { context, page, errors, devtools } = await openPanel()
    await add(page, 'three')
    await page.locator('li.todo').nth(1).getByLabel('done').check()
    await expect.poll(async () => (await options(devtools)).length).toBe(2)
    const counters = () => page.$$eval('.renders', (els) => els.map((e) => e.textContent))
    const before = await counters()

    await devtools.getByRole('option').first().click()
    for (const name of ['Diff', 'State', 'Watchers', 'Patch']) await devtools.getByRole('tab', { name }).click()
    await devtools.getByRole('tab', { name: 'Watchers' }).click()
    await expect(devtools.getByRole('tabpanel').textContent()).resolves.toMatch(/Called for #/)
    await page.screenshot({ path: `${shots}/devtools-watchers.png` })
    await devtools.getByRole('textbox', { name: 'Filter by pointer' }).fill('/todos/1')
    await devtools.getByRole('listbox', { name: 'Revisions' }).press('ArrowDown')
    await devtools.getByRole('separator', { name: 'Resize devtools' }).press('ArrowUp')
    await devtools.getByRole('button', { name: 'Pause recording' }).click()
    await devtools.getByRole('button', { name: 'Resume recording' }).click()
    await page.getByRole('button', { name: 'Close devtools' }).click()
    await page.getByRole('button', { name: 'patchdb devtools' }).click()
    expect(await counters()).toEqual(before)
    expect(errors).toEqual([])
    await context.close()
  }, 90_000)

  it("while the panel shows a past revision, the app's Undo and Redo are off and say nothing of the head's steps", async () => {
    const { context, page, errors, devtools } = await openPanel()
    await add(page, 'alpha')
    await add(page, 'beta')
    const undo = page.locator('.undo-bar button.undo')
    await expect.poll(() => undo.textContent()).toBe("Undo add 'beta'")
    await devtools.getByRole('button', { name: 'Step back' }).click()
    await count(page, INITIAL.length + 1)
    expect(await undo.textContent()).toBe('Undo')
    expect(await undo.isDisabled()).toBe(true)
    expect(await page.locator('.undo-bar button.redo').isDisabled()).toBe(true)
    await page.screenshot({ path: `${shots}/devtools-travel-undo.png` })
    // Ctrl+Z while travelling does nothing and loses nothing: live, it undoes 'beta'.
    await page.locator('body').press('Control+z')
    await devtools.getByRole('button', { name: 'Live' }).click()
    await count(page, INITIAL.length + 2)
    await expect.poll(() => undo.textContent()).toBe("Undo add 'beta'")
    await undo.click()
    await count(page, INITIAL.length + 1)
    expect(errors).toEqual([])
    await context.close()
  }, 90_000)

  for (const width of [1100, 1400]) {
    it(`at ${width} px the toolbar is one line, nothing clipped, and the selected revision's commands sit by its tabs`, async () => {
      const { context, page, errors, devtools } = await openPanel({ width })
      await add(page, 'gamma')
      await devtools.getByRole('option').first().click()
      const toolbar = devtools.getByRole('toolbar', { name: 'Devtools commands' })
      const buttons = toolbar.getByRole('button')
      const tops = new Set(await buttons.evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top))))
      expect(tops.size).toBe(1)
      expect(await toolbar.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
      const selection = devtools.getByRole('toolbar', { name: 'Selected revision' })
      for (const name of ['Jump', 'Skip', 'Move earlier', 'Move later']) await expect(selection.getByRole('button', { name }).isVisible()).resolves.toBe(true)
      const tabBottom = await devtools.getByRole('tab', { name: 'Patch' }).evaluate((el) => el.getBoundingClientRect().bottom)
      const barBottom = await selection.evaluate((el) => el.getBoundingClientRect().bottom)
      expect(Math.abs(tabBottom - barBottom)).toBeLessThan(6) // on the tabs' line
      await page.screenshot({ path: `${shots}/devtools-${width}.png` })
      expect(errors).toEqual([])
      await context.close()
    }, 90_000)
  }

  it('moving a revision earlier replays the log in the new order: the page shows the todos swapped', async () => {
    const { context, page, errors, devtools } = await openPanel()
    const before = await titles(page)
    await add(page, 'first')
    await add(page, 'second')
    const [addFirst, addSecond] = (await options(devtools)).map((t) => Number(/^#(\d+)/.exec(t)![1]))

    // Select 'second' and move it before 'first' with the button: the head is replayed in that order.
    await devtools.getByRole('option', { name: new RegExp(`^#${addSecond} `) }).click()
    await devtools.getByRole('button', { name: 'Move earlier' }).click()
    await expect.poll(() => titles(page)).toEqual([...before, 'second', 'first'])
    await expect.poll(() => options(devtools)).toEqual([expect.stringMatching(new RegExp(`^#${addSecond} `)), expect.stringMatching(new RegExp(`^#${addFirst} `))])
    await page.screenshot({ path: `${shots}/devtools-reordered.png` })

    // And back with the keyboard.
    await devtools.getByRole('listbox', { name: 'Revisions' }).press('Alt+ArrowDown')
    await expect.poll(() => titles(page)).toEqual([...before, 'first', 'second'])
    expect(errors).toEqual([])
    await context.close()
  }, 90_000)
})
