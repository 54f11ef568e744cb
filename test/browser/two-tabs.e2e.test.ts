import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from '../support/chromium'
import { servePage } from '../support/page-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PageApi } from './page/main'

// Real Chromium, real IndexedDB, Web Locks and BroadcastChannel: two pages of one origin
// in one browser context are two tabs sharing a database.
const NAME = 'e2e'

declare global {
  var patchdb: PageApi
}

let served: Awaited<ReturnType<typeof servePage>>
let url: string
let browser: Browser
let context: BrowserContext

beforeAll(async () => {
  served = await servePage(new URL('./page/main.ts', import.meta.url))
  url = served.url
  browser = await launchChromium()
  context = await browser.newContext()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await served?.close()
})

async function page(): Promise<Page> {
  const p = await context.newPage()
  p.on('pageerror', (e) => console.error('page error:', e))
  await p.goto(url)
  await p.waitForFunction(() => typeof globalThis.patchdb === 'object')
  return p
}

const open = (p: Page) => p.evaluate((name) => patchdb.open(name), NAME)
const dump = (p: Page) => p.evaluate(() => patchdb.dump())
const persisted = (p: Page) => p.evaluate((name) => patchdb.persisted(name), NAME)

describe('patchdb/browser in Chromium, two tabs', () => {
  it('both tabs write, converge, and IndexedDB holds the same document after reload and takeover', async () => {
    const a = await page()
    const b = await page()
    expect(await open(a)).toBe('writer')
    expect(await open(b)).toBe('follower')

    // Both tabs write at the same time; the follower's patches go through the writer.
    await Promise.all([a.evaluate(() => patchdb.write('a', 60)), b.evaluate(() => patchdb.write('b', 60))])
    await Promise.all([a.evaluate(() => patchdb.flush()), b.evaluate(() => patchdb.flush())])
    await b.waitForFunction(() => patchdb.dump().id === 120)
    const converged = await dump(a)
    expect(converged.id).toBe(120)
    expect(await dump(b)).toEqual(converged)
    for (const prefix of ['a', 'b']) {
      expect(converged.value.items.filter((v) => v.startsWith(prefix))).toEqual(Array.from({ length: 60 }, (_, i) => `${prefix}${i}`))
    }

    // IndexedDB: a snapshot (compaction ran at 30 records) plus a contiguous log, replaying to the document.
    const stored = await persisted(b)
    expect(stored.snapshotId).toBeGreaterThan(0)
    expect(stored.logIds).toEqual(Array.from({ length: stored.logIds.length }, (_, i) => stored.snapshotId + 1 + i))
    expect({ id: stored.id, value: stored.value }).toEqual(converged)

    // Reload both tabs: the document comes back from IndexedDB.
    await Promise.all([a.reload(), b.reload()])
    for (const p of [a, b]) await p.waitForFunction(() => typeof globalThis.patchdb === 'object')
    expect(await open(a)).toBe('writer')
    expect(await open(b)).toBe('follower')
    expect(await dump(a)).toEqual(converged)
    expect(await dump(b)).toEqual(converged)

    // Close the writer tab without any goodbye: the browser frees its lock and b takes over.
    await a.close({ runBeforeUnload: false })
    await b.waitForFunction(() => patchdb.role() === 'writer', undefined, { timeout: 10_000 })
    await b.evaluate(() => patchdb.write('after', 3))
    await b.evaluate(() => patchdb.flush())
    const c = await page()
    expect(await open(c)).toBe('follower')
    const last = await dump(c)
    expect(last.id).toBe(123)
    expect(last.value.items.slice(-3)).toEqual(['after0', 'after1', 'after2'])
    const final = await persisted(c)
    expect({ id: final.id, value: final.value }).toEqual(last)
  }, 60_000)
})

describe('patchdb/browser in Chromium: other tabs are not trusted', () => {
  it('forged hello, revisions and bye from a third page change no follower, and its writes still settle', async () => {
    const name = 'e2e-forged'
    const [a, b, intruder] = [await page(), await page(), await page()]
    expect(await a.evaluate((n) => patchdb.open(n), name)).toBe('writer')
    expect(await b.evaluate((n) => patchdb.open(n), name)).toBe('follower')
    expect(await b.evaluate(() => patchdb.submit('first'))).toBe(1)
    await intruder.evaluate((n) => patchdb.forge(n), name)
    expect(await b.evaluate(() => patchdb.submit('second'))).toBe(2)
    const stored = await b.evaluate((n) => patchdb.persisted(n), name)
    expect(await dump(b)).toEqual({ id: stored.id, value: stored.value })
    expect(stored.value.items).toEqual(['first', 'second'])
  }, 60_000)
})

describe('patchdb/browser in Chromium: what flush() acknowledged reopens unchanged', () => {
  const INVARIANT = 'e2e-invariant'
  const openPlain = (p: Page, salvage = false) => p.evaluate(([name, s]) => patchdb.openPlain(name, s), [INVARIANT, salvage] as const)
  const digestOf = (p: Page) => p.evaluate(() => patchdb.digest())

  it('deep documents at the limit, odd Unicode and big writes from both tabs reopen exactly; one level deeper and lone surrogates are refused', async () => {
    const a = await page()
    const b = await page()
    expect(await openPlain(a)).toEqual({ role: 'writer', salvaged: null })
    expect(await openPlain(b)).toEqual({ role: 'follower', salvaged: null })
    const refused = ['ok', 'ok', 'ok', 'ok', 'PatchError:TOO_DEEP', 'PatchError:VALUE_INVALID', 'PatchError:VALUE_INVALID']

    const byWriter = await a.evaluate(() => patchdb.writeCases('writer'))
    expect(byWriter.outcomes).toEqual(refused)
    const written = await a.evaluate(() => patchdb.revision())
    await b.waitForFunction((id) => patchdb.revision() === id, written)
    const byFollower = await b.evaluate(() => patchdb.writeCases('follower'))
    expect(byFollower.outcomes).toEqual(refused)
    expect(await digestOf(b)).toBe(byFollower.expected)
    expect(await digestOf(a)).toBe(byFollower.expected)

    // Reload both tabs (close and reopen), then open once more with salvage: the same document.
    await Promise.all([a.reload(), b.reload()])
    for (const p of [a, b]) await p.waitForFunction(() => typeof globalThis.patchdb === 'object')
    expect(await openPlain(a)).toEqual({ role: 'writer', salvaged: null })
    expect(await openPlain(b)).toEqual({ role: 'follower', salvaged: null })
    expect(await digestOf(a)).toBe(byFollower.expected)
    expect(await digestOf(b)).toBe(byFollower.expected)
    await a.close()
    await b.waitForFunction(() => patchdb.role() === 'writer', undefined, { timeout: 10_000 })
    const c = await page()
    expect(await openPlain(c, true)).toEqual({ role: 'follower', salvaged: null })
    expect(await digestOf(c)).toBe(byFollower.expected)
  }, 60_000)

  it('a snapshot a foreign script made deeper than the limit is a CorruptionError naming it, not a RangeError (1,050 and 3,000 deep)', async () => {
    const p = await page()
    expect(await p.evaluate(() => patchdb.openPlantedDeep('e2e-planted-1050', 1050))).toEqual({ name: 'CorruptionError', record: 'snapshot', cause: 'TOO_DEEP' })
    // Chromium's IndexedDB itself reads this one back as null.
    expect(await p.evaluate(() => patchdb.openPlantedDeep('e2e-planted-3000', 3000))).toEqual({ name: 'CorruptionError', record: 'snapshot' })
  }, 30_000)
})
