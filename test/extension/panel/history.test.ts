import fc from 'fast-check'
import { createStore, type JsonValue, type Patch } from 'patchdb'
import { createInspector, type InspectorMessage } from 'patchdb/devtools'
import { describe, expect, it } from 'vitest'
import { createHistoryTracker } from '../../../devtools/src/panel/history'

/** Random writes to a small document: set, remove, and skip (toggle) some. */
const writes = fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c'), value: fc.option(fc.integer(), { nil: undefined }), skip: fc.boolean() }), { maxLength: 30 })

describe('the history a panel keeps for "keep history on reload"', () => {
  it('the log it holds, imported into a reloaded page, gives the same document at every revision as the page before', () => {
    fc.assert(
      fc.property(writes, fc.integer({ min: 1, max: 8 }), (list, limit) => {
        const before = createStore<JsonValue>({ value: { a: 0 } })
        const inspector = createInspector(before, { limit })
        const tracker = createHistoryTracker()
        const feed = (m: InspectorMessage) => tracker.see(JSON.parse(JSON.stringify(m)))
        inspector.subscribe(feed)
        inspector.receive({ type: 'connect', version: 1 }, feed)
        for (const w of list) {
          const removal: Patch = before.get(`/${w.key}`) === undefined ? [] : [{ op: 'remove', path: `/${w.key}` }]
          const r = w.value === undefined ? before.apply(removal) : before.set(`/${w.key}`, w.value)
          if (r && w.skip) inspector.toggle(inspector.entries().at(-1)!.id)
        }
        const log = tracker.log()
        if (inspector.entries().length === 0) {
          expect(log).toBeNull()
          return
        }

        // The reloaded page: a fresh store, its inspector importing the log.
        const after = createStore<JsonValue>({ value: { fresh: true } })
        const reloaded = createInspector(after, { limit })
        reloaded.import(log)
        expect(after.get()).toEqual(before.get())
        const ids = reloaded.entries().map((e) => e.id)
        expect(ids).toEqual(inspector.entries().map((e) => e.id).slice(-ids.length))
        for (const id of ids) expect(reloaded.valueAt(id)).toEqual(inspector.valueAt(id))
      }),
    )
  })
})
