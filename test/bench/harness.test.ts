import { describe, expect, it } from 'vitest'
import { Ledger } from '../../bench/data'
import { PathCopyStore } from '../../bench/floor'
import { timeAlternately } from '../../bench/measure'
import { expectedTables } from '../../bench/react/protocol'

const tiny = { rounds: 1, budgetMs: 1 }

// The checks are what keep a library from being credited for work it skipped: they must fail.
describe('bench harness', () => {
  it('rejects a contender whose final state is wrong', async () => {
    const ledger = new Ledger(4)
    const lazy = { name: 'lazy', run: () => void ledger.next(), check: () => ledger.check('lazy', () => 0, false) }
    await expect(timeAlternately([lazy], tiny)).rejects.toThrow(/lazy: row \d holds 0, expected \d+/)
  })

  it('rejects a watcher that missed a write or ran twice', () => {
    const missed = new Ledger(2)
    const a = missed.next()
    missed.next()
    missed.saw(a.row, a.value)
    expect(() => missed.check('missed', (r) => missed.written[r]!, true)).toThrow(/watcher of row \d saw 0/)

    const twice = new Ledger(1)
    const w = twice.next()
    twice.saw(w.row, w.value)
    twice.saw(w.row, w.value)
    expect(() => twice.check('twice', (r) => twice.written[r]!, true)).toThrow(/2 watcher calls for 1 writes/)
  })

  it('times every contender and passes one that did the work', async () => {
    const store = new PathCopyStore({ rows: [{ value: 0 }, { value: 0 }] })
    const ledger = new Ledger(2)
    store.listen('/rows/0', (row) => ledger.saw(0, (row as { value: number }).value))
    store.listen('/rows/1', (row) => ledger.saw(1, (row as { value: number }).value))
    const floor = {
      name: 'floor',
      run() {
        const { row, value } = ledger.next()
        store.replace(`/rows/${row}/value`, value)
      },
      check: () => ledger.check('floor', (r) => (store.doc as { rows: { value: number }[] }).rows[r]!.value, true),
    }
    const [t] = await timeAlternately([floor], tiny)
    expect(t!.name).toBe('floor')
    expect(t!.median).toBeGreaterThan(0)
    expect(ledger.writes).toBeGreaterThan(0)
  })

  it('knows the table each React operation must leave', () => {
    const t = expectedTables(20)
    expect(t.mount).toHaveLength(20)
    expect(t['update every 10th'][10]).toBe('10:row 10 !!!')
    expect(t['update every 10th'][11]).toBe('11:row 11')
    expect(t['select one'][4]).toBe('4:row 4 *')
    expect(t['select one'].filter((r) => r.endsWith(' *'))).toHaveLength(1)
    expect(t['swap two'][1]).toBe('18:row 18')
    expect(t['swap two'][18]).toBe('1:row 1')
    expect(t['remove one']).toHaveLength(19)
    expect(t['remove one'][2]).toBe('3:row 3')
    expect(t['remove one'][3]).toBe('4:row 4 *')
    expect(t['append 1,000']).toHaveLength(1019)
    expect(t['append 1,000'][19]).toBe('20:row 20')
    expect(t['append 1,000'].at(-1)).toBe('1019:row 1019')
    expect(t.clear).toEqual([])
  })
})
