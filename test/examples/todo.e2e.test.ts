import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, pageWithErrors } from '../support/chromium'
import { serveExample } from '../support/example-server'

const shots = 'test-results' // gitignored: look at them after a run
let app: Awaited<ReturnType<typeof serveExample>>
let browser: Browser
let url: string

beforeAll(async () => {
  // Built as `npm start` serves it (production React), on localhost: a secure context.
  app = await serveExample('examples/todo/vite.config.ts')
  url = app.url
  browser = await launchChromium()
  mkdirSync(shots, { recursive: true })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await app?.close()
})

/** A fresh browser profile (its own IndexedDB) with one tab open on the app. */
async function open(context?: BrowserContext): Promise<{ page: Page; errors: string[]; context: BrowserContext }> {
  context ??= await browser.newContext({ viewport: { width: 720, height: 860 } })
  const { page, errors } = await pageWithErrors(context)
  await page.goto(url)
  await page.waitForSelector('li.todo')
  return { page, errors, context }
}

/** Title, done and render count of each visible row, in order. */
const rows = (page: Page) =>
  page.$$eval('li.todo', (lis) =>
    lis.map((li) => {
      const edit = li.querySelector('.edit')
      return {
        title: edit instanceof HTMLInputElement ? edit.value : li.querySelector('.title')!.textContent,
        done: (li.querySelector('input[type=checkbox]') as HTMLInputElement).checked,
        renders: parseInt(li.querySelector('.renders')?.textContent ?? 'NaN', 10),
      }
    }),
  )
const titles = async (page: Page) => (await rows(page)).map((r) => r.title)
const settingsRenders = async (page: Page) => parseInt((await page.textContent('.settings .renders')) ?? 'NaN', 10)
const row = (page: Page, title: string) => page.locator('li.todo', { has: page.locator(`.title:text-is("${title}")`) })
const count = (page: Page, n: number) => page.waitForFunction((n) => document.querySelectorAll('li.todo').length === n, n)
const add = async (page: Page, title: string) => {
  const n = (await rows(page)).length
  await page.getByLabel('new todo').fill(title)
  await page.getByLabel('new todo').press('Enter')
  await count(page, n + 1)
}
/** Everything written so far is in IndexedDB (what a reload will read). */
const saved = (page: Page) => page.waitForSelector('.save[data-state="saved"]')
const undoButton = (page: Page) => page.locator('button.undo')
const redoButton = (page: Page) => page.locator('button.redo')
const INITIAL = ['Read the patch log', 'Watch a pointer']

describe('examples/todo in Chromium', () => {
  it('adds, toggles, edits, filters and deletes; only touched rows render; counters are labelled', async () => {
    const { page, errors, context } = await open()
    expect(await rows(page)).toEqual([
      { title: 'Read the patch log', done: true, renders: 1 },
      { title: 'Watch a pointer', done: false, renders: 1 },
    ])
    expect(await page.locator('li.todo .renders').first().textContent()).toBe('1 render')
    expect(await page.locator('li.todo .renders').first().getAttribute('title')).toBe('How many times this component has rendered')
    await expect(page.locator('.hint').textContent()).resolves.toMatch(/Double-click a todo to edit it/)

    await add(page, 'Buy milk')
    await add(page, 'Walk dog')
    // Appending rows renders the new rows once and leaves the others alone.
    expect((await rows(page)).map((r) => [r.title, r.renders])).toEqual([
      ['Read the patch log', 1],
      ['Watch a pointer', 1],
      ['Buy milk', 1],
      ['Walk dog', 1],
    ])

    await row(page, 'Buy milk').getByLabel('done').check()
    await page.waitForFunction(() => document.querySelectorAll('li.todo.done').length === 2)
    expect((await rows(page)).map((r) => r.renders)).toEqual([1, 1, 2, 1]) // exactly the toggled row
    expect(await page.textContent('.left')).toBe('2 left')

    await page.getByRole('button', { name: 'done', exact: true }).click()
    await count(page, 2)
    expect(await titles(page)).toEqual(['Read the patch log', 'Buy milk'])
    await page.getByRole('button', { name: 'all', exact: true }).click()
    await count(page, 4)

    expect(await settingsRenders(page)).toBe(1) // nothing under /settings has changed yet
    await page.getByRole('combobox').selectOption('dark')
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark')
    expect(await settingsRenders(page)).toBe(2)

    await row(page, 'Walk dog').locator('.title').dblclick()
    await page.getByLabel('edit todo').fill('Walk the dog')
    await page.getByLabel('edit todo').press('Enter')
    await page.waitForSelector('li.todo .title:text-is("Walk the dog")')
    expect((await rows(page)).slice(0, 3).map((r) => r.renders)).toEqual([1, 1, 2]) // editing row 4 touched no other row

    await row(page, 'Watch a pointer').getByLabel('delete').click()
    await count(page, 3)
    expect((await rows(page)).map((r) => [r.title, r.done])).toEqual([
      ['Read the patch log', true],
      ['Buy milk', true],
      ['Walk the dog', false],
    ])
    expect((await rows(page))[0]!.renders).toBe(1) // the row before the deleted one did not render
    await page.screenshot({ path: `${shots}/todo-dark.png`, fullPage: true })
    expect(errors).toEqual([])
    await context.close()
  }, 60_000)

  it('a blank entry is refused visibly, and the message goes when typing starts', async () => {
    const { page, errors, context } = await open()
    const input = page.getByLabel('new todo')
    await input.fill('   ')
    await input.press('Enter')
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/blank todo is not added/)
    expect(await input.getAttribute('aria-invalid')).toBe('true')
    expect(await titles(page)).toEqual(INITIAL)
    await page.screenshot({ path: `${shots}/todo-refused.png`, fullPage: true })
    await input.fill('x')
    expect(await page.getByRole('alert').count()).toBe(0)
    expect(await input.getAttribute('aria-invalid')).toBe('false')
    expect(errors).toEqual([])
    await context.close()
  }, 60_000)

  it('undo and redo cover the todos only: labelled buttons, Ctrl+Z and Ctrl+Shift+Z, one step per transaction', async () => {
    const { page, errors, context } = await open()
    expect(await undoButton(page).isDisabled()).toBe(true)
    await add(page, 'milk')
    expect(await undoButton(page).textContent()).toBe("Undo add 'milk'")

    // The filter and the theme are not undo steps: the next undo still removes 'milk'.
    await page.getByRole('button', { name: 'open', exact: true }).click()
    await page.getByRole('combobox').selectOption('dark')
    expect(await undoButton(page).textContent()).toBe("Undo add 'milk'")
    await page.getByRole('button', { name: 'all', exact: true }).click()

    await row(page, 'milk').getByLabel('done').check()
    expect(await undoButton(page).textContent()).toBe("Undo complete 'milk'")
    await page.locator('h1').click() // focus outside any text field
    await page.keyboard.press('Control+z')
    await page.waitForFunction(() => document.querySelectorAll('li.todo.done').length === 1)
    expect(await undoButton(page).textContent()).toBe("Undo add 'milk'")
    expect(await redoButton(page).textContent()).toBe("Redo complete 'milk'")
    await page.keyboard.press('Control+Shift+z')
    await page.waitForFunction(() => document.querySelectorAll('li.todo.done').length === 2)
    expect(await redoButton(page).isDisabled()).toBe(true)

    await row(page, 'Watch a pointer').getByLabel('delete').click()
    await count(page, 2)
    expect(await undoButton(page).textContent()).toBe("Undo delete 'Watch a pointer'")
    await undoButton(page).click()
    await count(page, 3)
    expect(await titles(page)).toEqual([...INITIAL, 'milk']) // back where it was

    await page.getByRole('button', { name: 'Clear done' }).click() // one transaction, two removals
    await count(page, 1)
    expect(await undoButton(page).textContent()).toBe('Undo clear 2 done')
    await undoButton(page).click()
    await count(page, 3)
    expect(await titles(page)).toEqual([...INITIAL, 'milk'])

    await row(page, 'milk').locator('.title').dblclick()
    await page.getByLabel('edit todo').fill('oat milk')
    await page.getByLabel('edit todo').press('Enter')
    await page.waitForSelector('li.todo .title:text-is("oat milk")')
    expect(await undoButton(page).textContent()).toBe("Undo rename 'milk'")
    await undoButton(page).click()
    await page.waitForSelector('li.todo .title:text-is("milk")')

    // Ctrl+Z in a text field that holds text is the field's own undo, not the todos'.
    await page.getByLabel('new todo').fill('half typed')
    await page.getByLabel('new todo').press('Control+z')
    expect(await titles(page)).toEqual([...INITIAL, 'milk'])

    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    expect(await page.getAttribute('button[aria-pressed="true"]', 'aria-pressed')).toBe('true')
    expect(await page.locator('button[aria-pressed="true"]').textContent()).toBe('all')
    await page.screenshot({ path: `${shots}/todo-undo.png`, fullPage: true })
    expect(errors).toEqual([])
    await context.close()
  }, 60_000)

  it('a reload keeps the todos, the filter and the theme', async () => {
    const { page, errors, context } = await open()
    await add(page, 'survives reload')
    await row(page, 'survives reload').getByLabel('done').check()
    await page.getByRole('combobox').selectOption('dark')
    await page.getByRole('button', { name: 'done', exact: true }).click()
    await count(page, 2)
    await saved(page)
    await page.reload()
    await page.waitForSelector('li.todo')
    expect(await rows(page)).toEqual([
      { title: 'Read the patch log', done: true, renders: 1 },
      { title: 'survives reload', done: true, renders: 1 },
    ])
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await page.getByRole('button', { name: 'all', exact: true }).click()
    await count(page, 3)
    expect(errors).toEqual([])
    await context.close()
  }, 60_000)

  it('two tabs stay in step, and undo in either tab reaches both', async () => {
    const a = await open()
    const b = await open(a.context) // the same profile: a second tab of the same origin
    await add(a.page, 'from A')
    await b.page.waitForSelector('li.todo .title:text-is("from A")')
    await add(b.page, 'from B') // B follows: its write goes through A's tab, then comes back
    await a.page.waitForSelector('li.todo .title:text-is("from B")')
    // A follower's write shows once the writer tab has it (a round trip): click, then wait.
    await row(b.page, 'from A').getByLabel('done').click()
    await b.page.waitForFunction(() => document.querySelectorAll('li.todo.done').length === 2)
    await a.page.waitForFunction(() => document.querySelectorAll('li.todo.done').length === 2)
    expect(await rows(a.page)).toEqual(await rows(b.page).then((r) => r.map((x) => ({ ...x, renders: expect.any(Number) }))))

    // Every tab edits one shared document, and each records every change to the todos.
    expect(await undoButton(a.page).textContent()).toBe("Undo complete 'from A'")
    await b.page.locator('h1').click()
    await b.page.keyboard.press('Control+z') // in the follower: travels through the writer tab
    await a.page.waitForFunction(() => document.querySelectorAll('li.todo.done').length === 1)
    await b.page.waitForFunction(() => document.querySelectorAll('li.todo.done').length === 1)
    expect(await redoButton(b.page).textContent()).toBe("Redo complete 'from A'")
    await undoButton(b.page).click()
    // Each tab shows the writer's revisions once they are durable: poll, do not race them.
    await expect.poll(() => titles(a.page)).toEqual([...INITIAL, 'from A'])
    await expect.poll(() => titles(b.page)).toEqual([...INITIAL, 'from A'])
    await redoButton(b.page).click()
    await expect.poll(() => titles(a.page)).toEqual([...INITIAL, 'from A', 'from B'])
    await expect.poll(() => titles(b.page)).toEqual([...INITIAL, 'from A', 'from B'])

    await a.page.screenshot({ path: `${shots}/todo-tab-a.png`, fullPage: true })
    await b.page.screenshot({ path: `${shots}/todo-tab-b.png`, fullPage: true })
    expect([...a.errors, ...b.errors]).toEqual([])
    await a.context.close()
  }, 60_000)
})
