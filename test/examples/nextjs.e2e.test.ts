import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, pageWithErrors } from '../support/chromium'
import { packOnce } from '../support/package'

// examples/nextjs as a user runs it: patchdb packed from this checkout (`npm pack`), installed
// from the tarball next to Next.js 16 (the example's own package.json: the root install stays
// light), `next build` (Turbopack), `next start`, and Chromium. All in a copy of the example
// in a temporary directory, so that the checkout stays clean and test runs do not collide.
const example = fileURLToPath(new URL('../../examples/nextjs', import.meta.url))
const shots = fileURLToPath(new URL('../../test-results', import.meta.url)) // gitignored
const env = { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' }
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
/** What a clone has of the example: not what installing, building or running it makes. */
const MADE = new Set(['node_modules', '.next', '.pack', '.data', 'next-env.d.ts'])

let app: string
let dataDir: string
let server: ChildProcess | undefined
let browser: Browser
let url: string

const next = () => join(app, 'node_modules/next/dist/bin/next')
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
    probe.on('error', reject)
  })
}

/** `next start` on a free port over `dataDir`; resolves once it answers. */
async function start(): Promise<void> {
  const port = await freePort()
  const child = spawn(process.execPath, [next(), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: app,
    env: { ...env, PATCHDB_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout!.on('data', (d) => (log += d))
  child.stderr!.on('data', (d) => (log += d))
  server = child
  url = `http://127.0.0.1:${port}/`
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${log}`)
    const ok = await fetch(`${url}api/todos`).then((r) => r.ok, () => false)
    if (ok) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`next start did not answer within 60 s:\n${log}`)
}

async function stop(): Promise<void> {
  const child = server
  server = undefined
  if (!child || child.exitCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
}

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'patchdb-nextjs-app-'))
  cpSync(example, app, { recursive: true, filter: (from) => !MADE.has(relative(example, from).split(sep)[0]!) })
  // The tarball npm would publish, packed once per test run (shared with test/package).
  mkdirSync(join(app, '.pack'))
  copyFileSync(await packOnce(), join(app, '.pack/patchdb.tgz'))
  // The lockfile pins Next and React. Not `npm ci`: the registry here lacks other platforms'
  // optional binaries, which `npm ci` demands. --include=dev: NODE_ENV=production would make
  // npm leave out TypeScript, and next build would then skip checking the example's types.
  run(npm, ['install', '--no-save', '--include=dev', '--no-audit', '--no-fund', '--loglevel=error'])
  let built: string
  try {
    built = run(process.execPath, [next(), 'build'])
  } catch (e) {
    const { stdout, stderr } = e as { stdout: string; stderr: string }
    throw new Error(`next build failed:\n${stdout}\n${stderr}`)
  }
  if (!built.includes('Finished TypeScript')) throw new Error(`next build did not check the example's types:\n${built}`)
  dataDir = mkdtempSync(join(tmpdir(), 'patchdb-nextjs-'))
  await start()
  browser = await launchChromium()
}, 15 * 60_000)

afterAll(async () => {
  await browser?.close()
  await stop()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  if (app) rmSync(app, { recursive: true, force: true }) // node_modules: tens of thousands of files
}, 180_000)

/** A page whose console errors, page errors and hydration warnings are collected. */
async function open(): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await pageWithErrors(browser)
  page.on('console', (m) => m.type() === 'warning' && /hydrat/i.test(m.text()) && errors.push(m.text()))
  return { page, errors }
}

/** Loads the app and waits until React has hydrated it (its fiber is on the DOM). */
async function load(page: Page): Promise<void> {
  await page.goto(url, { waitUntil: 'networkidle' })
  await page.waitForFunction(() => Object.keys(document.querySelector('input[aria-label="new todo"]')!).some((k) => k.startsWith('__react')))
}

const todos = (page: Page) =>
  page.$$eval('li.todo', (lis) => lis.map((li) => [li.querySelector('.title')!.textContent, li.classList.contains('done')] as const))
const revision = async (page: Page) => Number(await page.textContent('.revision'))
const serverDump = async () => (await fetch(`${url}api/todos`)).json() as Promise<{ id: number; value: { todos: { id: string; title: string; done: boolean }[] } }>
const titles = (dump: Awaited<ReturnType<typeof serverDump>>) => dump.value.todos.map((t) => [t.title, t.done])

async function add(page: Page, title: string, count: number) {
  await page.getByLabel('new todo').fill(title)
  await page.getByLabel('new todo').press('Enter')
  await page.waitForFunction((n) => document.querySelectorAll('li.todo').length === n, count)
}

describe('examples/nextjs: next build, next start, Chromium', () => {
  it('renders the server dump, adds and toggles through the route handler, clears with a Server Action, and a reload shows what the server stored', async () => {
    const { page, errors } = await open()
    await load(page)
    expect(await todos(page)).toEqual([
      ['Read the patch log', true],
      ['Render on the server', false],
    ])
    expect(await revision(page)).toBe(0)

    await add(page, 'Buy milk', 3)
    await page.waitForFunction(() => document.querySelector('.revision')!.textContent === '1')

    // A click, not check(): the box turns once the server's revision is back, not on click.
    await page.locator('li.todo', { hasText: 'Buy milk' }).getByLabel('done').click()
    await page.waitForFunction(() => document.querySelectorAll('li.todo.done').length === 2)
    expect(await revision(page)).toBe(2)
    expect(await page.textContent('.left')).toBe('1 left · revision 2')
    mkdirSync(shots, { recursive: true })
    await page.screenshot({ path: join(shots, 'nextjs-toggled.png'), fullPage: true })

    // The Server Action writes on the server and revalidates the layout: the newer dump
    // prop reaches the browser's store through PatchProvider and store.update.
    await page.getByRole('button', { name: 'Clear completed' }).click()
    await page.waitForFunction(() => document.querySelectorAll('li.todo').length === 1)
    expect(await todos(page)).toEqual([['Render on the server', false]])
    expect(await revision(page)).toBe(3)

    // The store holds the server's ids: the next write's revision follows on, no gap.
    await add(page, 'Walk the dog', 2)
    await page.waitForFunction(() => document.querySelector('.revision')!.textContent === '4')
    const server = await serverDump()
    expect(server.id).toBe(4)
    expect(titles(server)).toEqual([
      ['Render on the server', false],
      ['Walk the dog', false],
    ])

    await page.screenshot({ path: join(shots, 'nextjs-after-action.png'), fullPage: true })
    await load(page) // a reload: rendered from the server's durable store
    expect(await todos(page)).toEqual(titles(server))
    expect(await revision(page)).toBe(4)
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)

  it('a tab that missed a revision gets a gap from store.update and takes the server dump', async () => {
    const a = await open()
    const b = await open()
    await load(a.page)
    await load(b.page)
    const before = await revision(a.page)
    await add(a.page, 'From tab A', (await todos(a.page)).length + 1)
    // Tab B is one revision behind: its write comes back as revision before + 2, a gap.
    await add(b.page, 'From tab B', (await todos(b.page)).length + 2)
    expect((await todos(b.page)).slice(-2)).toEqual([
      ['From tab A', false],
      ['From tab B', false],
    ])
    expect(await revision(b.page)).toBe(before + 2)
    expect([...a.errors, ...b.errors]).toEqual([])
    await a.page.close()
    await b.page.close()
  }, 60_000)

  it('the route handler refuses hostile patches and the store is unchanged', async () => {
    const before = await serverDump()
    const post = (body: string) => fetch(`${url}api/todos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    const refused = [
      ['not json', 400],
      [JSON.stringify([{ op: 'add', path: '/__proto__/polluted', value: 1 }]), 400],
      [JSON.stringify([{ op: 'replace', path: '', value: { todos: [] } }]), 400],
      [JSON.stringify([{ op: 'add', path: '/todos/-', value: { id: 'x', title: 'x', done: false, admin: true } }]), 400],
      [JSON.stringify(Array.from({ length: 9 }, () => ({ op: 'remove', path: '/todos/0' }))), 400],
      [JSON.stringify([{ op: 'replace', path: '/todos/0/id', value: 'renamed' }]), 400],
      [JSON.stringify([{ op: 'add', path: '/todos/-', value: { id: 'has space', title: 'x', done: false } }]), 400],
      [JSON.stringify([{ op: 'remove', path: '/todos/0', from: '/todos/1' }]), 400],
      [JSON.stringify([{ op: 'add', path: '/todos/-', value: { id: 'x', title: 'x'.repeat(20_000), done: false } }]), 413],
      // Well-formed, but the todo at index 0 is not the one the client saw: 409, nothing applied.
      [JSON.stringify([{ op: 'test', path: '/todos/0/id', value: 'gone' }, { op: 'remove', path: '/todos/0' }]), 409],
      // Well-formed, but a second todo with an id that exists: the transaction is undone whole.
      [JSON.stringify([{ op: 'add', path: '/todos/-', value: { id: before.value.todos[0]!.id, title: 'twin', done: false } }]), 409],
    ] as const
    for (const [body, status] of refused) expect((await post(body)).status, body.slice(0, 80)).toBe(status)
    expect(await serverDump()).toEqual(before)
  }, 60_000)

  it('what the server acknowledged is there after a restart (the durable store reopens from disk)', async () => {
    const before = await serverDump()
    await stop()
    await start()
    expect(await serverDump()).toEqual(before)
    const { page, errors } = await open()
    await load(page)
    expect(await todos(page)).toEqual(titles(before))
    await page.screenshot({ path: join(shots, 'nextjs-after-restart.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)
})
