import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, pageWithErrors } from '../support/chromium'
import { buildStorybookOnce, serveStatic } from '../support/storybook'

// Every story of the static Storybook (`npm run build-storybook`, built once per run), in
// Chromium, one page each: it renders, its play function passes, addon-a11y's axe run
// finds nothing. The preview reports each of these on its channel; the page records them.

interface IndexEntry {
  id: string
  type: 'story' | 'docs'
  tags: string[]
}

/** Records the preview's outcome events from the moment its channel exists. */
const RECORD = `(() => {
  const events = (window.__storyEvents = [])
  const hooked = new WeakSet()
  let channel
  Object.defineProperty(globalThis, '__STORYBOOK_ADDONS_CHANNEL__', {
    configurable: true,
    get: () => channel,
    set(next) {
      channel = next
      if (!next || hooked.has(next)) return
      hooked.add(next)
      for (const name of ['storyFinished', 'playFunctionThrewException', 'storyThrewException', 'storyErrored', 'storyMissing', 'unhandledErrorsWhilePlaying']) {
        next.on(name, (payload) => events.push({ name, payload: JSON.parse(JSON.stringify(payload ?? null)) }))
      }
    },
  })
})()`

let browser: Browser
let site: { url: string; close(): Promise<void> }
let stories: IndexEntry[]

beforeAll(async () => {
  const dir = await buildStorybookOnce()
  stories = Object.values((JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { entries: Record<string, IndexEntry> }).entries).filter((e) => e.type === 'story')
  ;[site, browser] = await Promise.all([serveStatic(dir), launchChromium()])
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await site?.close()
})

interface Outcome {
  errors: string[]
  events: { name: string; payload: any }[]
}

async function runStory(id: string): Promise<Outcome> {
  const { page, errors } = await pageWithErrors(browser)
  // Chromium's console line for a failed load does not say which: this does.
  page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`))
  try {
    await page.addInitScript(RECORD)
    await page.goto(`${site.url}iframe.html?id=${id}&viewMode=story`)
    await page.waitForFunction(() => (window as any).__storyEvents.some((e: { name: string }) => e.name === 'storyFinished'), null, { timeout: 30_000 })
    return { errors, events: await page.evaluate(() => (window as any).__storyEvents) }
  } finally {
    await page.close()
  }
}

describe('the stories, in Chromium', () => {
  it('stories cover the todo example, the devtools panel, the JSON Patch playground and render counts', () => {
    const titles = new Set(stories.map((s) => s.id.split('--')[0]))
    expect([...titles].sort()).toEqual(['devtools-panel', 'json-patch-playground', 'render-counts', 'todo-example'])
    expect(stories.filter((s) => s.id.startsWith('todo-example--')).map((s) => s.id.split('--')[1]).sort()).toEqual(['dark', 'editing', 'empty', 'filtered', 'many', 'renamed'])
  })

  it('every story has a play function', () => {
    expect(stories.filter((s) => !s.tags.includes('play-fn')).map((s) => s.id)).toEqual([])
  })

  it('every story renders with no console error, its play function passes, and axe finds no violation', async () => {
    const failures: Record<string, unknown> = {}
    for (const { id } of stories) {
      const { errors, events } = await runStory(id)
      const finished = events.find((e) => e.name === 'storyFinished')!.payload
      const a11y = finished.reporters.find((r: { type: string }) => r.type === 'a11y')
      const problems = {
        errors,
        thrown: events.filter((e) => e.name !== 'storyFinished').map((e) => e.payload),
        status: finished.status,
        a11y: a11y ? { status: a11y.status, violations: (a11y.result.violations ?? []).map((v: { id: string; nodes: { target: unknown }[] }) => [v.id, v.nodes.map((n) => n.target)]), error: a11y.result.error } : 'not run',
      }
      const ok = errors.length === 0 && problems.thrown.length === 0 && finished.status === 'success' && a11y?.status === 'passed'
      if (!ok) failures[id] = problems
    }
    expect(failures).toEqual({})
  }, 240_000)
})
