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

/**
 * Runs every operation on `reps` fresh pages per library (libraries alternating, so load
 * on the machine falls on all of them alike), checking each library's table after each op.
 */
export async function measureReact(n: number, reps: number, names = LIBS.map((l) => l.name)): Promise<Map<string, OpResult[]>> {
  const libs = LIBS.filter((l) => names.includes(l.name))
  const dir = mkdtempSync(join(tmpdir(), 'patchdb-react-bench-'))
  const expected = expectedTables(n)
  const results = new Map<string, OpResult[]>(libs.map((l) => [l.name, []]))
  const browser = await launchChromium()
  try {
    await buildPages(dir)
    for (let r = 0; r < reps; r++) {
      for (let j = 0; j < libs.length; j++) {
        const lib = libs[(j + r) % libs.length]!
        const page = await browser.newPage()
        await page.goto(`file://${join(dir, `${lib.file}.html`)}?n=${n}`)
        for (const op of OPS) {
          const res = await page.evaluate((o) => window.bench.run(o), op)
          checkTable(lib.name, op, res.table, expected[op])
          results.get(lib.name)!.push({ ...res, table: [] })
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

export const react: Scenario = {
  id: 5,
  title: 'React in Chromium: a table of 1,000 rows',
  async run({ quick }) {
    const sizes = quick ? [{ n: 1_000, reps: 1 }] : [{ n: 1_000, reps: 11 }, { n: 10_000, reps: 3 }]
    const tables: Table[] = []
    const targets: TargetResult[] = []
    for (const { n, reps } of sizes) {
      const results = await measureReact(n, reps)
      const stat = (name: string, op: Op, key: 'time' | 'toPaint' | 'renders') =>
        median(results.get(name)!.filter((x) => x.op === op).map((x) => x[key]))
      const others = LIBS.filter((l) => isOther(l.name))
      const size = n.toLocaleString('en')
      for (const op of OPS) {
        const fastest = others.reduce((a, b) => (stat(a.name, op, 'time') <= stat(b.name, op, 'time') ? a : b)).name
        const best = stat(fastest, op, 'time')
        tables.push({
          title: `${size} rows: ${op}`,
          columns: ['median', 'to paint', 'row renders', `vs fastest other (${fastest})`],
          rows: LIBS.map((l) => ({
            name: l.name,
            cells: [
              `${stat(l.name, op, 'time').toFixed(1)} ms`,
              `${stat(l.name, op, 'toPaint').toFixed(1)} ms`,
              stat(l.name, op, 'renders'),
              formatRatio(stat(l.name, op, 'time') / best),
            ],
          })),
        })
        if (n !== 1_000) continue
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
        sizes.map(({ n, reps }) => `${n.toLocaleString('en')} rows: ${reps} fresh page(s) per library`).join('; ') +
        `, libraries alternating; medians. React 19 production, esbuild-built pages, ${LIBS.length} contenders, each op inside flushSync.` +
        ' "median": the op inside flushSync (the write, render, commit and passive effects, where subscriptions are made);' +
        ' "to paint": to a task after the next requestAnimationFrame. Every table is checked after every op; the targets are for patchdb (keyed) at 1,000 rows.',
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
