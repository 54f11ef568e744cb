import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runBench } from '../../bench/suite'
import { scenarios } from '../../bench/scenarios/index'

// The bench must not rot: quick mode runs every scenario end to end. Timing is not judged,
// only that each scenario finished with every contender's final-state check passing.
describe('npm run bench -- --quick', () => {
  it('runs every scenario, and every contender does the work', { timeout: 180_000 }, async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'patchdb-bench-')), 'quick.json')
    const printed: string[] = []
    const results = await runBench({ quick: true, out, print: (l) => printed.push(l) })

    expect(results.map((r) => r.id)).toEqual(scenarios.map((s) => s.id))
    for (const r of results) {
      if (r.status === 'waiting') {
        expect(r.note, `scenario ${r.id} says what it waits for`).toMatch(/waiting|waits/)
        continue
      }
      const names = r.tables.flatMap((t) => t.rows.map((row) => row.name))
      expect(names.length, `scenario ${r.id} has results`).toBeGreaterThan(1)
      expect(r.checked.length, `scenario ${r.id} checked its contenders`).toBeGreaterThan(1)
      for (const t of r.tables) for (const row of t.rows) expect(row.cells.length).toBe(t.columns.length)
    }
    const json = JSON.parse(readFileSync(out, 'utf8'))
    expect(json.quick).toBe(true)
    expect(json.results).toHaveLength(results.length)
    expect(printed.join('\n')).toContain('## 1. Fan-out')
  })
})
