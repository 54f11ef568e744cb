import './environment'
import { describe, expect, it } from 'vitest'
import { openBrowserStore } from 'patchdb/browser'
import { freshName } from './environment'

describe('patchdb/browser: a throwing watcher', () => {
  it('goes to the onError given to openBrowserStore; the write is kept and flushed', async () => {
    const name = freshName('watcher-errors')
    const errors: [string, string | undefined][] = []
    const db = await openBrowserStore<{ n: number }>(name, {
      value: { n: 0 },
      onError: (e, context) => errors.push([(e as Error).message, context.path]),
    })
    db.watch('/n', () => {
      throw new Error('watcher failed')
    })
    db.set('/n', 1)
    expect(errors).toEqual([['watcher failed', '/n']])
    await db.close()
    const again = await openBrowserStore<{ n: number }>(name)
    expect(again.get('/n')).toBe(1)
    await again.close()
  })
})
