import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

/** Debian's Chromium (installed by .ci/run), never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Flags that keep Chromium quiet and offline: no sandbox as root, no GPU, no QUIC, no background traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Debian's Chromium through playwright-core, with CHROMIUM_ARGS. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
}

/** A fresh page whose uncaught errors and console errors are collected, for tests to assert none. */
/** `opener`: a browser, or a context (a profile of its own, whose pages share one origin's storage). */
export async function pageWithErrors(opener: Pick<Browser | BrowserContext, 'newPage'>): Promise<{ page: Page; errors: string[] }> {
  const page = await opener.newPage()
  page.setDefaultTimeout(10_000)
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  return { page, errors }
}
