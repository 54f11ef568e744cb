import './environment'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PatchError } from 'patchdb'
import { CorruptionError, LimitError, openBrowserStore, TimeoutError, type BrowserStore, type BrowserStoreOptions } from 'patchdb/browser'
import { depthLimit, innermost, nest } from './deep'
import { freshName } from './environment'
import { persisted, plant, readRaw } from './raw-idb'

// Same limits in and out: what a tab's write passes is what every later open accepts, and
// a follower's write is accepted or refused exactly as the writer's.
type Doc = Record<string, any>
const open: BrowserStore<Doc>[] = []
async function tab(name: string, options: BrowserStoreOptions<Doc> = {}): Promise<BrowserStore<Doc>> {
  const store = await openBrowserStore<Doc>(name, { value: {}, ...options })
  open.push(store)
  return store
}
afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(open.splice(0).map((s) => s.close()))
})

/** Submit messages this process posts from now on (to prove a refused write was not forwarded). */
function submitsPosted(): unknown[] {
  const posted: unknown[] = []
  const post = BroadcastChannel.prototype.postMessage
  vi.spyOn(BroadcastChannel.prototype, 'postMessage').mockImplementation(function (this: BroadcastChannel, m: unknown) {
    if ((m as { t?: string }).t === 'submit') posted.push(m)
    post.call(this, m)
  })
  return posted
}

const LIMIT = depthLimit()

describe('patchdb/browser: deep documents (item 1: what the writer accepted always reopens)', () => {
  // Two adds, each far below the limit alone, build a document exactly at it.
  const first = Math.floor(LIMIT / 2)
  const addDeep = (extra: number) => [{ op: 'add' as const, path: innermost('/d', first) + '/b', value: nest(LIMIT - 1 - first + extra) as any }]

  it('a document at the depth limit reopens, from the log and from a snapshot, also with salvage', async () => {
    const name = freshName('deep-limit')
    const a = await tab(name)
    a.set('/d', nest(first))
    a.apply(addDeep(0))
    await a.flush()
    await a.close()
    const reopened = await tab(name)
    expect(reopened.revision).toBe(2)
    expect(reopened.get()).toEqual(a.get())
    await reopened.compact()
    await reopened.close()
    expect((await readRaw(name)).snapshot.id).toBe(2)
    for (const salvage of [false, true]) {
      const again = await tab(name, { salvage })
      expect(again.get()).toEqual(a.get())
      expect(again.salvaged).toBeNull()
      await again.close()
    }
  })

  it('one level past the limit is refused with TOO_DEEP at the write, in the writer and in a follower; nothing reaches IndexedDB', async () => {
    const name = freshName('deep-over')
    const a = await tab(name)
    const b = await tab(name)
    await b.submit([{ op: 'add', path: '/d', value: nest(first) as any }])
    await a.flush()
    const before = await persisted(name)
    const posted = submitsPosted()
    expect(() => a.apply(addDeep(1))).toThrow(expect.objectContaining({ name: 'PatchError', code: 'TOO_DEEP' }))
    expect(() => b.apply(addDeep(1))).toThrow(expect.objectContaining({ code: 'TOO_DEEP' }))
    await expect(b.submit(addDeep(1))).rejects.toMatchObject({ code: 'TOO_DEEP' })
    await a.flush()
    expect(posted).toEqual([])
    expect(await persisted(name)).toEqual(before)
    expect([a.revision, b.revision]).toEqual([1, 1])
  })

  it('a planted document deeper than the limit is a CorruptionError, never a RangeError (snapshot and log record)', async () => {
    const deepSnapshot = freshName('planted-deep')
    // (fake-indexeddb's own clone cannot store much deeper; the Chromium test plants 3,000.)
    await plant(deepSnapshot, { meta: [['snapshot', { format: 1, id: 0, value: nest(LIMIT + 50) }]] })
    const error = await openBrowserStore(deepSnapshot).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CorruptionError)
    expect((error as CorruptionError).record).toBe('snapshot')
    expect((error as CorruptionError).cause).toMatchObject({ code: 'TOO_DEEP' })

    const deepRecord = freshName('planted-deep-log')
    await plant(deepRecord, {
      meta: [['snapshot', { format: 1, id: 0, value: {} }]],
      log: [[1, { id: 1, patch: [{ op: 'add', path: '/d', value: nest(LIMIT) }] }]],
    })
    const refused = await openBrowserStore(deepRecord).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(CorruptionError)
    expect((refused as CorruptionError).cause).toMatchObject({ code: 'TOO_DEEP' })
    const salvaged = await tab(deepRecord, { salvage: true })
    expect(salvaged.dump()).toEqual({ id: 0, value: {} })
    expect(salvaged.salvaged).toMatchObject({ count: 1 })
  })
})

describe('patchdb/browser: lone surrogates (item 2: refused by the core, nothing stored)', () => {
  const writes: [string, (s: BrowserStore<Doc>) => unknown][] = [
    ['a value', (s) => s.apply([{ op: 'add', path: '/v', value: 'emoji cut in half \ud83d' }])],
    ['a key inside a value', (s) => s.set('/v', { ['k\udc00']: 1 })],
    ['a key in a path', (s) => s.apply([{ op: 'add', path: '/k\ud800', value: 1 }])],
    ['a nested string', (s) => s.set('/v', { list: ['ok', '\udbff'] })],
    ['a transaction', (s) => s.transact((tx) => tx.set('/v', '\ud800'))],
  ]

  it('the writer and a follower refuse each with VALUE_INVALID; no submit is posted and IndexedDB is unchanged', async () => {
    const name = freshName('surrogates')
    const a = await tab(name)
    const b = await tab(name)
    const before = await readRaw(name)
    const posted = submitsPosted()
    for (const [, write] of writes) {
      for (const s of [a, b]) {
        const error = (() => {
          try {
            write(s)
          } catch (e) {
            return e
          }
        })()
        expect(error).toBeInstanceOf(PatchError)
        expect(error).toMatchObject({ code: 'VALUE_INVALID' })
      }
    }
    await expect(b.submit([{ op: 'add', path: '/v', value: '\ud83d' }])).rejects.toMatchObject({ code: 'VALUE_INVALID' })
    await Promise.all([a.flush(), b.flush()])
    expect(posted).toEqual([])
    expect(await readRaw(name)).toEqual(before)
    expect([a.revision, b.revision]).toEqual([0, 0])
  })

  it('well-formed astral characters, joiners and line separators round-trip exactly', async () => {
    const name = freshName('unicode')
    const a = await tab(name)
    const odd = { '👨‍👩‍👧': 'e\u0301 \u2028 \u0000 𝟘 \uffff', 'a/b~c': ['🙂'.repeat(3)] }
    a.set('/u', odd)
    await a.close()
    const again = await tab(name)
    expect(again.get('/u')).toStrictEqual(odd)
  })
})

describe('patchdb/browser: a follower writes with the writer\'s limits (item 3)', () => {
  it('a follower\'s write over 1 MiB is accepted as the writer\'s: it settles, persists (as a snapshot) and reopens', async () => {
    const name = freshName('big-follower')
    const a = await tab(name)
    const b = await tab(name)
    const big = 'x'.repeat(1_500_000) + '🙂'
    const revision = await b.submit([{ op: 'add', path: '/big', value: big }])
    expect(revision?.id).toBe(1)
    expect(b.get('/big')).toBe(big)
    b.set('/big2', big) // the same through set + flush
    await b.flush()
    expect(a.get('/big2')).toBe(big)
    expect((await persisted(name)).value).toEqual({ big, big2: big })
    await Promise.all([a.close(), b.close()])
    const again = await tab(name)
    expect(again.get()).toEqual({ big, big2: big })
  })

  it('a write over limits.snapshotBytes is refused at once with LimitError, alike in the writer and a follower; nothing is posted or stored', async () => {
    const name = freshName('over-limit')
    const limits = { snapshotBytes: 10_000 }
    const a = await tab(name, { limits })
    const b = await tab(name, { limits })
    const posted = submitsPosted()
    const big = 'y'.repeat(12_000)
    for (const s of [a, b]) {
      expect(() => s.set('/big', big)).toThrow(LimitError)
      expect(() => s.apply([{ op: 'add', path: '/big', value: big }])).toThrow(/over limits.snapshotBytes \(10000\)/)
    }
    await expect(b.submit([{ op: 'add', path: '/big', value: big }])).rejects.toBeInstanceOf(LimitError)
    await Promise.all([a.flush(), b.flush()])
    expect(posted).toEqual([])
    expect((await readRaw(name)).log).toEqual([])
  })

  it('the document limit holds for the whole document: many small writes, and a copy that doubles it', async () => {
    const name = freshName('grow')
    const a = await tab(name, { limits: { snapshotBytes: 10_000 } })
    let refused: unknown = null
    for (let i = 0; i < 20 && !refused; i++) {
      try {
        a.set(`/k${i}`, 'z'.repeat(900))
      } catch (e) {
        refused = e
      }
    }
    expect(refused).toBeInstanceOf(LimitError)
    const kept = a.revision
    expect(kept).toBeGreaterThan(5)
    await a.close()
    const b = await tab(name, { limits: { snapshotBytes: 10_000 } })
    expect(b.revision).toBe(kept)
    b.set('/k0', null)
    expect(() => b.apply([{ op: 'copy', from: '/k1', path: '/copy' }, { op: 'copy', from: '', path: '/k0' }])).toThrow(LimitError)
    expect(b.revision).toBe(kept + 1)
  })

  it('the writer refuses a follower\'s write that its newer document cannot take: the follower gets the LimitError', async () => {
    const name = freshName('limit-at-writer')
    const limits = { snapshotBytes: 10_000 }
    const a = await tab(name, { limits })
    const b = await tab(name, { limits })
    a.set('/a', 'a'.repeat(6000)) // b has not read it yet: its own check passes
    const error = await b.submit([{ op: 'add', path: '/b', value: 'b'.repeat(6000) }]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LimitError)
    expect((error as LimitError).limit).toBe('snapshotBytes')
    await vi.waitFor(() => expect(b.get()).toEqual({ a: 'a'.repeat(6000) }))
  })

  it('a follower opened with larger limits than the writer\'s gets the writer\'s LimitError, not silence', async () => {
    const name = freshName('mismatched-limits')
    await tab(name, { limits: { snapshotBytes: 10_000 } })
    const b = await tab(name, { limits: { snapshotBytes: 100_000 } })
    const error = await b.submit([{ op: 'add', path: '/big', value: 'w'.repeat(20_000) }]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LimitError)
    expect((error as Error).message).toMatch(/over limits.snapshotBytes \(10000\)/)
    expect((await readRaw(name)).log).toEqual([])
  })

  it('update() is a write like the others: a dump or revision past limits.snapshotBytes is refused, nothing stored', async () => {
    const name = freshName('update-limit')
    const a = await tab(name, { limits: { snapshotBytes: 10_000 } })
    expect(() => a.update({ id: 7, value: { big: 'd'.repeat(12_000) } })).toThrow(LimitError)
    expect(() => a.update({ id: 1, patch: [{ op: 'add', path: '/big', value: 'r'.repeat(12_000) }] })).toThrow(LimitError)
    expect(a.update({ id: 1, patch: [{ op: 'add', path: '/small', value: 's' }] }).status).toBe('applied')
    await a.flush()
    expect((await persisted(name)).value).toEqual({ small: 's' })
  })

  it('an initial value over limits.snapshotBytes fails the open instead of writing what no open could read', async () => {
    await expect(openBrowserStore(freshName('big-initial'), { value: { s: 'q'.repeat(2000) }, limits: { snapshotBytes: 1000 } })).rejects.toBeInstanceOf(LimitError)
  })

  it('the log never holds more than limits.records, whatever compact.records says', async () => {
    const name = freshName('records')
    const options = { limits: { records: 5 }, compact: { records: 100 } }
    const a = await tab(name, options)
    for (let i = 0; i < 17; i++) {
      a.set(`/n${i}`, i)
      await a.flush()
      expect((await readRaw(name)).log.length).toBeLessThanOrEqual(5)
    }
    await a.close()
    const again = await tab(name, options)
    expect(again.revision).toBe(17)
  })

  it('a forwarded write the writer never answers settles: TimeoutError after `timeout`, and flush reports it', async () => {
    const name = freshName('timeout')
    await tab(name)
    const b = await tab(name, { timeout: 100 })
    await b.submit([{ op: 'add', path: '/warm', value: 1 }])
    const post = BroadcastChannel.prototype.postMessage
    vi.spyOn(BroadcastChannel.prototype, 'postMessage').mockImplementation(function (this: BroadcastChannel, m: unknown) {
      if ((m as { t?: string }).t !== 'result') post.call(this, m) // the writer's answers are lost
    })
    const error = await b.submit([{ op: 'add', path: '/lost', value: 1 }]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TimeoutError)
    expect((error as Error).message).toMatch(/within 100 ms; it may or may not be applied/)
    b.set('/again', 2)
    await expect(b.flush()).rejects.toBeInstanceOf(TimeoutError)
  })
})
