import { launchChromium } from '../browser'
import { bundleBrowserScript } from '../browser-script'
import { median } from '../measure'
import type { Scenario, TargetResult } from '../types'

/** The panel's own speed in Chromium: selecting (State tab), jumping and wheel-scrolling a long log. */
const SELECT_TARGET_MS = 50
const FRAME_TARGET_MS = 20
const WHEEL_STEPS = 80
const WHEEL_PX = 300

declare const panelBench: {
  ready(): boolean
  showState(): Promise<void>
  select(id: number): Promise<number>
  jump(id: number): Promise<number>
  serialization(): { stateMs: number; stateBytes: number; logBytesPerRevision: number }
  top(): Promise<void>
  startFrames(): void
  stopFrames(): { intervals: number[]; scrollTop: number; ids: number[] }
}

const buildPage = () => bundleBrowserScript('bench/devtools-panel/page.tsx')

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`

export const devtoolsPanel: Scenario = {
  id: 11,
  title: 'Devtools panel in Chromium: 10,000 revisions of a 100,000-row document',
  async run({ quick }) {
    const rows = quick ? 10_000 : 100_000
    const revisions = quick ? 1_000 : 10_000
    const samples = quick ? 5 : 30
    const script = await buildPage()
    const browser = await launchChromium()
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      // A page at a file-like URL with the sizes in its query (setContent keeps about:blank's empty query).
      await page.route('http://bench.local/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><meta charset="utf-8"><body style="margin:0"></body>' }))
      await page.goto(`http://bench.local/?rows=${rows}&revisions=${revisions}`)
      await page.addScriptTag({ content: script })
      await page.waitForFunction(() => panelBench.ready(), undefined, { timeout: 120_000 })
      await page.evaluate(() => panelBench.showState())

      // Revisions spread over the log in a scrambled order, so most selections land where the panel has not rebuilt the document yet.
      const ids = Array.from({ length: samples }, (_, i) => 1 + ((i * 7_919 + 13) % revisions))
      const selectMs: number[] = []
      const jumpMs: number[] = []
      for (const id of ids) {
        selectMs.push(await page.evaluate((id) => panelBench.select(id), id))
        jumpMs.push(await page.evaluate((id) => panelBench.jump(id), id))
      }

      // Wheel-scroll the list from the top while the page records every animation frame.
      await page.evaluate(() => panelBench.top())
      const box = await page.getByRole('listbox', { name: 'Revisions' }).boundingBox()
      await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2)
      await page.evaluate(() => panelBench.startFrames())
      for (let i = 0; i < WHEEL_STEPS; i++) await page.mouse.wheel(0, WHEEL_PX)
      await page.waitForTimeout(300) // let the last smooth-scroll animation finish
      const scroll = await page.evaluate(() => panelBench.stopFrames())
      if (scroll.scrollTop < (WHEEL_STEPS * WHEEL_PX) / 2) throw new Error(`the list scrolled ${scroll.scrollTop}px of ${WHEEL_STEPS * WHEEL_PX}`)
      const firstShown = Math.floor(scroll.scrollTop / 24)
      if (!scroll.ids.some((id) => id > firstShown && id < firstShown + 40)) throw new Error(`after scrolling to row ${firstShown} the list shows ${scroll.ids.slice(0, 3).join(', ')}…`)
      const cost = await page.evaluate(() => panelBench.serialization())
      if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`)
      await page.close()

      const sel = median(selectMs)
      const jmp = median(jumpMs)
      const frame = median(scroll.intervals)
      const fps = 1000 / frame
      const targets: TargetResult[] = [
        { text: `select a revision with the State tab showing: under ${SELECT_TARGET_MS} ms to the next frame (median)`, measured: `${sel.toFixed(1)} ms`, met: sel < SELECT_TARGET_MS },
        { text: `jump to the selected revision: under ${SELECT_TARGET_MS} ms to the next frame (median)`, measured: `${jmp.toFixed(1)} ms`, met: jmp < SELECT_TARGET_MS },
        { text: `wheel-scroll the revision list at frame rate: median frame interval under ${FRAME_TARGET_MS} ms`, measured: `${frame.toFixed(1)} ms (${fps.toFixed(0)} fps)`, met: frame < FRAME_TARGET_MS },
      ]
      const redux = cost.stateBytes * revisions
      return {
        id: this.id,
        title: this.title,
        status: 'done',
        note:
          `${revisions.toLocaleString('en')} revisions on a ${rows.toLocaleString('en')}-row document, panel inline (production build) in a 1000x700 Chromium page. ` +
          `Select: a click on a revision scrolled into view (untimed), State tab showing, to the first task after the next animation frame; ${samples} revisions spread over the log in scrambled order; jump: Enter on it, same clock. ` +
          `Scroll: ${WHEEL_STEPS} mouse-wheel steps of ${WHEEL_PX}px from the top, every animation frame's interval recorded in the page. ` +
          `Redux DevTools' approach serializes the whole state per action: one JSON.stringify of this document measured in the same page, times ${revisions.toLocaleString('en')}.`,
        tables: [
          {
            title: 'panel operations',
            columns: ['median', 'p95', 'worst', 'samples'],
            rows: [
              { name: 'select a revision (State tab)', cells: [`${sel.toFixed(1)} ms`, `${percentile(selectMs, 0.95).toFixed(1)} ms`, `${Math.max(...selectMs).toFixed(1)} ms`, samples] },
              { name: 'jump to it', cells: [`${jmp.toFixed(1)} ms`, `${percentile(jumpMs, 0.95).toFixed(1)} ms`, `${Math.max(...jumpMs).toFixed(1)} ms`, samples] },
              { name: 'wheel scroll: frame interval', cells: [`${frame.toFixed(1)} ms`, `${percentile(scroll.intervals, 0.95).toFixed(1)} ms`, `${Math.max(...scroll.intervals).toFixed(1)} ms`, scroll.intervals.length] },
            ],
          },
          {
            title: `what ${revisions.toLocaleString('en')} revisions cost to keep`,
            columns: ['per revision', `${revisions.toLocaleString('en')} revisions`, 'serializing'],
            rows: [
              { name: 'patchdb inspector (patch + inverse, exported log)', cells: [`${Math.round(cost.logBytesPerRevision)} B`, mb(cost.logBytesPerRevision * revisions), 'the patches only'] },
              { name: "whole state per action (Redux DevTools' approach, estimated)", cells: [mb(cost.stateBytes), mb(redux), `${cost.stateMs.toFixed(1)} ms per action, ${((cost.stateMs * revisions) / 1000).toFixed(0)} s in all`] },
            ],
          },
        ],
        checked: ['select (State tab value)', 'jump (store value)', 'scroll (rows rendered where scrolled)'],
        targets,
      }
    } finally {
      await browser.close()
    }
  },
}
