import type { Page } from 'playwright-core'
import { launchWithExtension, openPanel, tabIdOf, type ExtensionBrowser } from '../../test/extension/support/extension'
import { bundleBrowserScript } from '../browser-script'
import { repoRoot } from '../paths'
import type { Scenario } from '../types'

/*
 * Revisions per second from a page to the patchdb extension's panel (in Chromium, the
 * unpacked extension loaded, the panel page attached to the tab), against a model of the
 * Redux DevTools bridge on the same store: connectReduxDevtools with a connect() that
 * JSON-serialises each action and whole state, posts it and parses it on the other side.
 */
declare const extensionBench: {
  start(): number
  write(n: number): number
  wire(): { wireChars: number; helloChars: number }
  redux(n: number): Promise<{ end: number; ok: boolean }>
  value(i: number): unknown
}

declare const portBench: {
  connect(tabId: number, name: string): void
  ready(): Promise<void>
  reaches(count: number): Promise<number>
}


/** A tab on the bench page (served at http://bench.local/, where the extension's content scripts run as on any site). */
async function openBenchPage(ext: ExtensionBrowser, script: string, query: string): Promise<Page> {
  const page = await ext.context.newPage()
  await page.route('http://bench.local/**', (route) =>
    route.request().url().endsWith('/page.js')
      ? route.fulfill({ contentType: 'text/javascript', body: script })
      : route.fulfill({ contentType: 'text/html', body: '<!doctype html><meta charset="utf-8"><body><script src="/page.js"></script></body>' }),
  )
  await page.goto(`http://bench.local/?${query}`)
  await page.waitForFunction(() => typeof extensionBench === 'object', undefined, { timeout: 120_000 })
  return page
}

/** In the panel page: resolves with the epoch time at which its status first reads `· <count> recorded`. */
const panelReaches = (panel: Page, count: number) =>
  panel.evaluate(
    (count) =>
      new Promise<number>((resolve) => {
        const root = document.querySelector('[data-patchdb-devtools]')!.shadowRoot!
        const done = () => [...root.querySelectorAll('[role=status]')].some((s) => s.textContent?.includes(`· ${count} recorded`))
        if (done()) return resolve(performance.timeOrigin + performance.now())
        const observer = new MutationObserver(() => {
          if (!done()) return
          observer.disconnect()
          resolve(performance.timeOrigin + performance.now())
        })
        observer.observe(root, { subtree: true, childList: true, characterData: true })
      }),
    count,
  )

const perSecond = (n: number, ms: number) => (n / ms) * 1000
const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en') : x.toFixed(1))
const kb = (chars: number) => (chars >= 1e6 ? `${(chars / 1e6).toFixed(1)} MB` : `${(chars / 1e3).toFixed(1)} kB`)

export const devtoolsExtension: Scenario = {
  id: 12,
  title: 'Devtools extension in Chromium: revisions per second from a page to the panel, 100,000-row document',
  async run({ quick }) {
    const rows = quick ? 10_000 : 100_000
    const revisions = quick ? 200 : 2_000
    const reduxRevisions = quick ? 5 : 20
    const warmup = quick ? 20 : 100
    const script = await bundleBrowserScript('bench/devtools-extension/page.ts')
    const counter = await bundleBrowserScript('bench/devtools-extension/port-counter.ts')
    const ext = await launchWithExtension({ root: repoRoot })
    try {
      // patchdb's transport: connectDevtools → relay → port → an extension page that reassembles, parses and validates, as the panel does.
      const bare = await openBenchPage(ext, script, `mode=patchdb&rows=${rows}&limit=${revisions + warmup}&run=transport`)
      const bareTab = await tabIdOf(ext, 'bench.local/?mode=patchdb&rows')
      const listener = await ext.context.newPage()
      await listener.goto(`chrome-extension://${ext.extensionId}/panel.html`)
      await listener.evaluate(counter)
      await listener.evaluate(([tab]) => portBench.connect(tab, 'bench'), [bareTab])
      // Writes before the connection is made would reach the listener in one list, never counted.
      await listener.evaluate(() => portBench.ready())
      const bareWarm = listener.evaluate((n) => portBench.reaches(n), warmup)
      await bare.evaluate((n) => extensionBench.write(n), warmup)
      await bareWarm
      const bareReached = listener.evaluate((n) => portBench.reaches(n), warmup + revisions)
      const bareStart = await bare.evaluate(() => extensionBench.start())
      await bare.evaluate((n) => extensionBench.write(n), revisions)
      const transportMs = (await bareReached) - bareStart
      await Promise.all([bare.close(), listener.close()])

      // The same, to the panel page: its React panel renders what arrives.
      const page = await openBenchPage(ext, script, `mode=patchdb&rows=${rows}&limit=${revisions + warmup}&run=panel`)
      const { panel, errors } = await openPanel(ext, await tabIdOf(ext, 'run=panel'))
      await panel.getByRole('status', { name: 'Connection' }).filter({ hasText: 'Connected to bench' }).waitFor({ timeout: 120_000 })
      const warmed = panelReaches(panel, warmup)
      await page.evaluate((n) => extensionBench.write(n), warmup)
      await warmed
      const reached = panelReaches(panel, warmup + revisions)
      const start = await page.evaluate(() => extensionBench.start())
      const last = await page.evaluate((n) => extensionBench.write(n), revisions)
      const end = await reached
      const patchdbMs = end - start
      const patchdbWire = await page.evaluate(() => extensionBench.wire())
      if ((await page.evaluate((i) => extensionBench.value(i), last)) !== last) throw new Error('patchdb: the store does not hold the last revision')
      if (errors.length) throw new Error(`panel errors: ${errors.join('; ')}`)
      await Promise.all([page.close(), panel.close()])

      // The Redux DevTools bridge: one whole state per revision, JSON, posted and parsed.
      const redux = await openBenchPage(ext, script, `mode=redux&rows=${rows}&limit=50`)
      await redux.evaluate(() => extensionBench.redux(1))
      const reduxStart = await redux.evaluate(() => extensionBench.start())
      const { end: reduxEnd, ok } = await redux.evaluate((n) => extensionBench.redux(n), reduxRevisions)
      if (!ok) throw new Error('redux model: the last state parsed is not the store’s')
      const reduxMs = reduxEnd - reduxStart
      const reduxWire = await redux.evaluate(() => extensionBench.wire())
      await redux.close()

      const transportRate = perSecond(revisions, transportMs)
      const patchdbRate = perSecond(revisions, patchdbMs)
      const reduxRate = perSecond(reduxRevisions, reduxMs)
      return {
        id: this.id,
        title: this.title,
        status: 'done',
        note:
          `${rows.toLocaleString('en')} rows; each revision replaces one row's value. patchdb: ${revisions.toLocaleString('en')} revisions written in one task after ${warmup} of warm-up, ` +
          `timed from the first write (page clock) to the panel page's status reading the last count (MutationObserver, epoch clocks of the same machine): ` +
          `window.postMessage, the isolated relay's validation and framing, the port, then either an extension page that reassembles, parses and validates each message as the panel does (transport), or the panel page itself with its React render (panel). ` +
          `Redux DevTools bridge: connectReduxDevtools with a connect() that JSON.stringify's each (action, whole state), posts it and JSON.parse's it on arrival, ` +
          `${reduxRevisions} revisions, timed to the last parse; its content script, port and monitor are not counted, so its figure is an upper bound of what it reaches.`,
        tables: [
          {
            title: 'page → devtools',
            columns: ['revisions / s', 'JSON per revision', 'sent once (base)', 'revisions timed'],
            rows: [
              { name: 'patchdb extension: to the extension page (port, validated)', cells: [fmt(transportRate), kb(patchdbWire.wireChars / revisions), kb(patchdbWire.helloChars), revisions] },
              { name: "patchdb extension: to the panel, rendered", cells: [fmt(patchdbRate), kb(patchdbWire.wireChars / revisions), kb(patchdbWire.helloChars), revisions] },
              { name: 'Redux DevTools bridge (whole state per action, model)', cells: [fmt(reduxRate), kb(reduxWire.wireChars / reduxRevisions), '–', reduxRevisions] },
              { name: 'patchdb transport / Redux', cells: [`${fmt(transportRate / reduxRate)}x`, `${fmt(reduxWire.wireChars / reduxRevisions / (patchdbWire.wireChars / revisions))}x less`, '', ''] },
              { name: 'patchdb panel / Redux', cells: [`${fmt(patchdbRate / reduxRate)}x`, '', '', ''] },
            ],
          },
        ],
        checked: ['patchdb transport (every entry validated in the extension page)', 'patchdb panel (every revision counted in the panel, store holds the last)', 'redux model (last state parsed equals the store)'],
        targets: [],
      }
    } finally {
      await ext.close()
    }
  },
}
