/// <reference types="chrome" />
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { CHROMIUM, CHROMIUM_ARGS } from '../../support/chromium'

export interface ExtensionBrowser {
  readonly context: BrowserContext
  readonly extensionId: string
  /** An extension page (no tab to inspect) that tests read the extension's storage through. */
  readonly control: Page
  close(): Promise<void>
}

export interface LaunchOptions {
  /** Adds --auto-open-devtools-for-tabs, the only way a devtools_page loads headless. */
  devtools?: boolean
  /** The checkout (the bench passes its own: its build moves this file). */
  root?: string
}

/**
 * Builds the extension with the command `npm run build:extension` runs, into a temporary
 * directory, and launches Debian's Chromium with it loaded, new headless, in a fresh
 * profile (Playwright's default `--disable-extensions` left out).
 */
export async function launchWithExtension(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  const dir = await mkdtemp(join(tmpdir(), 'patchdb-extension-'))
  const extension = join(dir, 'extension')
  const root = options.root ?? fileURLToPath(new URL('../../../', import.meta.url))
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'devtools/build.ts', extension], { cwd: root })
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: false,
    ignoreDefaultArgs: ['--disable-extensions'],
    viewport: { width: 1100, height: 760 },
    args: [
      ...CHROMIUM_ARGS,
      '--headless=new',
      `--disable-extensions-except=${extension}`,
      `--load-extension=${extension}`,
      ...(options.devtools ? ['--auto-open-devtools-for-tabs'] : []),
    ],
  })
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'))
  const extensionId = new URL(worker.url()).host
  const control = await context.newPage()
  await control.goto(`chrome-extension://${extensionId}/panel.html`)
  return {
    context,
    extensionId,
    control,
    async close() {
      await context.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** The id of the tab whose top frame's address contains `urlPart`, once its relay has listed a store. */
export async function tabIdOf(ext: ExtensionBrowser, urlPart: string): Promise<number> {
  const handle = await ext.control.waitForFunction(async (part) => {
    const records = await chrome.storage.session.get(null)
    for (const r of Object.values(records) as { tabId: number; frameId: number; url: string }[]) if (r.frameId === 0 && r.url.includes(part)) return r.tabId
    return false
  }, urlPart)
  return (await handle.jsonValue()) as number
}

/** Opens the panel page for tab `tabId`, as DevTools would show it for that tab. */
export async function openPanel(ext: ExtensionBrowser, tabId: number): Promise<{ panel: Page; errors: string[] }> {
  const panel = await ext.context.newPage()
  panel.setDefaultTimeout(10_000)
  const errors: string[] = []
  panel.on('pageerror', (e) => errors.push(e.message))
  panel.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  await panel.goto(`chrome-extension://${ext.extensionId}/panel.html?tabId=${tabId}`)
  return { panel, errors }
}

/** Stops the extension's service worker, as Chrome does when it is idle, through the DevTools protocol; resolves once Chrome reports it stopped. */
export async function stopServiceWorker(ext: ExtensionBrowser): Promise<void> {
  const cdp = await ext.context.newCDPSession(ext.control)
  const worker = `chrome-extension://${ext.extensionId}/`
  try {
    const stopped = new Promise<void>((resolve) => {
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        if (versions.some((v) => v.scriptURL.startsWith(worker) && v.runningStatus === 'stopped')) resolve()
      })
    })
    await cdp.send('ServiceWorker.enable')
    await cdp.send('ServiceWorker.stopAllWorkers')
    await stopped
  } finally {
    await cdp.detach()
  }
}
