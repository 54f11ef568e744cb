import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { build, preview, type PreviewServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, pageWithErrors } from '../support/chromium'

const configFile = 'examples/todo/vite.config.ts'
const screenshot = 'test-results/todo.png' // test-results/ is gitignored
let outDir: string
let server: PreviewServer
let browser: Browser
let url: string

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'patchdb-todo-'))
  // Vitest sets NODE_ENV=test, which would build development React (and JSX); build what
  // `npm start` serves instead.
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    await build({ configFile, logLevel: 'silent', build: { outDir, emptyOutDir: true } })
  } finally {
    process.env.NODE_ENV = nodeEnv
  }
  server = await preview({ configFile, logLevel: 'silent', build: { outDir }, preview: { port: 0, strictPort: false } })
  url = `http://localhost:${(server.httpServer.address() as AddressInfo).port}/`
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  rmSync(outDir, { recursive: true, force: true })
})

/** Title and render counter of each visible row, in order. */
const rows = (page: Page) =>
  page.$$eval('li.todo', (lis) =>
    lis.map((li) => ({
      title: li.querySelector('.title, .edit') instanceof HTMLInputElement ? (li.querySelector('.edit') as HTMLInputElement).value : li.querySelector('.title')!.textContent,
      done: (li.querySelector('input[type=checkbox]') as HTMLInputElement).checked,
      renders: Number(li.querySelector('.renders')!.textContent),
    })),
  )
const settingsRenders = (page: Page) => page.$eval('.settings .renders', (el) => Number(el.textContent))
const row = (page: Page, title: string) => page.locator('li.todo', { hasText: title })

describe('examples/todo in Chromium', () => {
  it('adds, toggles, edits, filters, undoes and deletes; only touched rows render', async () => {
    const { page, errors } = await pageWithErrors(browser)
    await page.goto(url)
    await page.waitForSelector('li.todo')
    expect(await rows(page)).toEqual([
      { title: 'Read the patch log', done: true, renders: 1 },
      { title: 'Watch a pointer', done: false, renders: 1 },
    ])

    const input = page.getByLabel('new todo')
    await input.fill('Buy milk')
    await input.press('Enter')
    await input.fill('Walk dog')
    await input.press('Enter')
    await page.waitForFunction(() => document.querySelectorAll('li.todo').length === 4)
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
    await page.waitForFunction(() => document.querySelectorAll('li.todo').length === 2)
    expect((await rows(page)).map((r) => r.title)).toEqual(['Read the patch log', 'Buy milk'])
    await page.getByRole('button', { name: 'all', exact: true }).click()
    await page.waitForFunction(() => document.querySelectorAll('li.todo').length === 4)

    expect(await settingsRenders(page)).toBe(1) // nothing under /settings has changed yet
    await page.getByRole('combobox').selectOption('dark')
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark')
    expect(await settingsRenders(page)).toBe(2)

    await row(page, 'Walk dog').locator('.title').dblclick()
    await page.getByLabel('edit todo').fill('Walk the dog')
    await page.getByLabel('edit todo').press('Enter')
    await page.waitForSelector('li.todo .title:text-is("Walk the dog")')
    const afterEdit = await rows(page)
    expect(afterEdit.slice(0, 3).map((r) => r.renders)).toEqual([1, 1, 2]) // editing row 4 touched no other row

    await page.getByRole('button', { name: 'Undo' }).click() // undoes the edit
    await page.waitForSelector('li.todo .title:text-is("Walk dog")')
    await page.getByRole('button', { name: 'Undo' }).click() // undoes the theme
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light')
    expect(await settingsRenders(page)).toBe(3)
    expect((await rows(page)).slice(0, 3).map((r) => r.renders)).toEqual([1, 1, 2])

    await row(page, 'Watch a pointer').getByLabel('delete').click()
    await page.waitForFunction(() => document.querySelectorAll('li.todo').length === 3)
    expect((await rows(page)).map((r) => [r.title, r.done])).toEqual([
      ['Read the patch log', true],
      ['Buy milk', true],
      ['Walk dog', false],
    ])
    expect((await rows(page))[0]!.renders).toBe(1) // the row before the deleted one did not render

    mkdirSync('test-results', { recursive: true })
    await page.screenshot({ path: screenshot, fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  }, 60_000)
})
