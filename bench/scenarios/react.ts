import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { repoRoot } from '../paths'
import { launchChromium } from '../browser'
import { formatRatio } from '../format'
import { median } from '../measure'
import { expectedTables, OPS, type Op, type OpResult } from '../react/protocol'
import type { Scenario, Table, TargetResult } from '../types'

/** The contender the targets are for: patchdb as its README recommends for lists. */
const ME = 'patchdb (keyed)'
/** Page per library: bench/react/libs/<file>.tsx. Names starting with "patchdb" are not "others". */
export const LIBS: { name: string; file: string }[] = [
  { name: ME, file: 'patchdb-keyed' },
  { name: 'patchdb (rows by index)', file: 'patchdb' },
  { name: 'patchdb (keyed, selector per row)', file: 'patchdb-keyed-selector' },
  { name: 'patchdb (rows as props)', file: 'patchdb-props' },
  { name: 'useReducer + memo', file: 'usereducer' },
  { name: 'Zustand', file: 'zustand' },
  { name: 'Redux Toolkit', file: 'redux' },
  { name: 'Jotai', file: 'jotai' },
  { name: 'Valtio', file: 'valtio' },
  { name: 'Legend-State', file: 'legend' },
]
const isOther = (name: string) => !name.startsWith('patchdb')

/** Every page built the same way: esbuild, React 19 production. `minify: false` for readable profiles. */
export async function buildPages(dir: string, minify = true): Promise<void> {
  await build({
    entryPoints: LIBS.map((l) => join(repoRoot, 'bench/react/libs', `${l.file}.tsx`)),
    outdir: dir,
    bundle: true,
    minify,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  for (const l of LIBS) writeFileSync(join(dir, `${l.file}.html`), `<!doctype html><meta charset="utf-8"><div id="root"></div><script src="${l.file}.js"></script>`)
}

/** One op's result on one page, in one round (0: the page's first, with cold code). */
export type Measured = OpResult & { round: number }

/**
 * Runs every operation on `pages` fresh pages per library (libraries alternating, so load
 * on the machine falls on all of them alike), `rounds` times per page (the table unmounted
 * and the state made again between rounds), checking each library's table after each op.
 */
export async function measureReact(n: number, pages: number, rounds: number, names = LIBS.map((l) => l.name)): Promise<Map<string, Measured[]>> {
  const libs = LIBS.filter((l) => names.includes(l.name))
  const dir = mkdtempSync(join(tmpdir(), 'patchdb-react-bench-'))
  const expected = expectedTables(n)
  const results = new Map<string, Measured[]>(libs.map((l) => [l.name, []]))
  const browser = await launchChromium()
  try {
    await buildPages(dir)
    for (let r = 0; r < pages; r++) {
      for (let j = 0; j < libs.length; j++) {
        const lib = libs[(j + r) % libs.length]!
        const page = await browser.newPage()
        await page.goto(`file://${join(dir, `${lib.file}.html`)}?n=${n}`)
        for (let round = 0; round < rounds; round++) {
          if (round > 0) await page.evaluate(() => window.bench.reset())
          for (const op of OPS) {
            const res = await page.evaluate((o) => window.bench.run(o), op)
            checkTable(lib.name, op, res.table, expected[op])
            results.get(lib.name)!.push({ ...res, table: [], round })
          }
        }
        await page.close()
      }
    }
  } finally {
    await browser.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return results
}

/** Warm: after three rounds of warm-up on the same page (as the js-framework-benchmark warms up); cold: a page's first round. */
const ROUNDS = 4

export const react: Scenario = {
  id: 5,
  title: 'React in Chromium: a table of 1,000 rows',
  async run({ quick }) {
    const sizes = quick ? [{ n: 200, pages: 1, rounds: 1 }] : [{ n: 1_000, pages: 9, rounds: ROUNDS }, { n: 10_000, pages: 3, rounds: 1 }]
    const tables: Table[] = []
    const targets: TargetResult[] = []
    for (const { n, pages, rounds } of sizes) {
      const results = await measureReact(n, pages, rounds)
      const warm = rounds - 1
      const stat = (name: string, op: Op, key: 'time' | 'toPaint' | 'renders' | 'write', round = warm) =>
        median(results.get(name)!.filter((x) => x.op === op && x.round === round).map((x) => x[key]))
      const others = LIBS.filter((l) => isOther(l.name))
      const fastestAt = (op: Op, round: number) => others.reduce((a, b) => (stat(a.name, op, 'time', round) <= stat(b.name, op, 'time', round) ? a : b)).name
      const size = n.toLocaleString('en')
      for (const op of OPS) {
        const fastest = fastestAt(op, warm)
        const best = stat(fastest, op, 'time')
        const coldFastest = fastestAt(op, 0)
        const coldBest = stat(coldFastest, op, 'time', 0)
        const columns = ['median', 'of which the write', 'to paint', 'row renders', `vs fastest other (${fastest})`]
        if (warm > 0) columns.push('cold (first round)', `cold vs fastest other (${coldFastest})`)
        tables.push({
          title: `${size} rows: ${op}`,
          columns,
          rows: LIBS.map((l) => {
            const cells: (string | number)[] = [
              `${stat(l.name, op, 'time').toFixed(1)} ms`,
              `${stat(l.name, op, 'write').toFixed(1)} ms`,
              `${stat(l.name, op, 'toPaint').toFixed(1)} ms`,
              stat(l.name, op, 'renders'),
              formatRatio(stat(l.name, op, 'time') / best),
            ]
            if (warm > 0) cells.push(`${stat(l.name, op, 'time', 0).toFixed(1)} ms`, formatRatio(stat(l.name, op, 'time', 0) / coldBest))
            return { name: l.name, cells }
          }),
        })
        if (n !== sizes[0]!.n) continue // the targets are for the first size (1,000 rows in a full run)
        const fewest = Math.min(...others.map((l) => stat(l.name, op, 'renders')))
        const mine = stat(ME, op, 'time')
        targets.push(
          { text: `${op}: fewest renders`, measured: `${stat(ME, op, 'renders')} row renders (fewest of the others: ${fewest})`, met: stat(ME, op, 'renders') <= fewest },
          {
            text: `${op}: within 1.1x of the fastest contender`,
            measured: `${mine.toFixed(1)} ms, ${formatRatio(mine / best)} ${fastest}'s ${best.toFixed(1)} ms`,
            met: mine <= 1.1 * best,
          },
        )
      }
    }
    return {
      id: 5,
      title: this.title,
      status: 'done',
      note:
        sizes.map(({ n, pages, rounds }) => `${n.toLocaleString('en')} rows: ${pages} fresh page(s) per library, ${rounds} round(s) of all ops per page`).join('; ') +
        `; libraries alternating; medians. React 19 production, esbuild-built pages, ${LIBS.length} contenders, each op inside flushSync.` +
        ' "median": the op inside flushSync (the write, render, commit and passive effects, where subscriptions are made) in the last round of a page (warm, after the warm-up rounds), "cold": in its first;' +
        ' "of which the write": the library\'s own call before React renders; "to paint": to a task after the next requestAnimationFrame.' +
        ' Every table is checked after every op; the targets are for patchdb (keyed), warm, at 1,000 rows.',
      tables,
      checked: LIBS.map((l) => l.name),
      targets,
    }
  },
}

function checkTable(lib: string, op: Op, got: string[], want: string[]): void {
  if (got.length !== want.length) throw new Error(`${lib} after ${op}: ${got.length} rows shown, expected ${want.length}`)
  const i = got.findIndex((g, k) => g !== want[k])
  if (i >= 0) throw new Error(`${lib} after ${op}: row ${i} shows '${got[i]}', expected '${want[i]}'`)
}
