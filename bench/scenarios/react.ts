import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from '../paths'
import { build } from 'esbuild'
import { launchChromium } from '../browser'
import { formatRatio } from '../format'
import { median } from '../measure'
import { expectedTables, OPS, type Op, type OpResult } from '../react/protocol'
import type { Scenario, Table, TargetResult } from '../types'

const root = repoRoot + '/'
const ME = 'patchdb'
/** Page per library: bench/react/libs/<file>.tsx. */
const LIBS: { name: string; file: string }[] = [
  { name: ME, file: 'patchdb' },
  { name: 'patchdb, rows keyed by id', file: 'patchdb-keyed' },
  { name: 'Zustand', file: 'zustand' },
  { name: 'Redux Toolkit', file: 'redux' },
  { name: 'Jotai', file: 'jotai' },
  { name: 'Valtio', file: 'valtio' },
  { name: 'Legend-State', file: 'legend' },
]

/** Every page built the same way: esbuild, production React with the profiling build (React.Profiler). */
async function buildPages(names: string[], dir: string): Promise<void> {
  await build({
    entryPoints: LIBS.filter((l) => names.includes(l.name)).map((l) => join(root, 'bench/react/libs', `${l.file}.tsx`)),
    outdir: dir,
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    alias: { 'react-dom/client': 'react-dom/profiling' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  for (const l of LIBS) writeFileSync(join(dir, `${l.file}.html`), `<!doctype html><meta charset="utf-8"><div id="root"></div><script src="${l.file}.js"></script>`)
}

export const react: Scenario = {
  id: 5,
  title: 'React in Chromium: 10,000 rows',
  async run({ quick }) {
    const n = quick ? 1_000 : 10_000
    const reps = quick ? 1 : 5
    const hasMine = existsSync(join(root, 'src/react/index.ts'))
    const libs = LIBS.filter((l) => hasMine || !l.name.startsWith(ME))
    const dir = mkdtempSync(join(tmpdir(), 'patchdb-react-bench-'))
    const expected = expectedTables(n)
    const results = new Map<string, OpResult[]>(libs.map((l) => [l.name, []]))
    const browser = await launchChromium()
    try {
      await buildPages(libs.map((l) => l.name), dir)
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
    const stat = (name: string, op: Op, key: 'toCommit' | 'toPaint' | 'renders') =>
      median(results.get(name)!.filter((x) => x.op === op).map((x) => x[key]))
    const ref = hasMine ? ME : 'Zustand'
    const tables: Table[] = OPS.map((op) => ({
      title: op,
      columns: ['to commit', 'to paint', 'row renders', `commit time vs ${ref}`],
      rows: libs.map((l) => ({
        name: l.name,
        cells: [
          `${stat(l.name, op, 'toCommit').toFixed(1)} ms`,
          `${stat(l.name, op, 'toPaint').toFixed(1)} ms`,
          stat(l.name, op, 'renders'),
          formatRatio(stat(l.name, op, 'toCommit') / stat(ref, op, 'toCommit')),
        ],
      })),
    }))
    const targets: TargetResult[] = []
    if (hasMine) {
      const op: Op = 'update every 10th'
      const others = libs.filter((l) => !l.name.startsWith(ME))
      const fewest = Math.min(...others.map((l) => stat(l.name, op, 'renders')))
      const fastest = others.reduce((a, b) => (stat(a.name, op, 'toCommit') <= stat(b.name, op, 'toCommit') ? a : b))
      const mine = stat(ME, op, 'toCommit')
      const best = stat(fastest.name, op, 'toCommit')
      targets.push(
        { text: 'update every 10th: fewest renders', measured: `${stat(ME, op, 'renders')} renders (fewest of the others: ${fewest})`, met: stat(ME, op, 'renders') <= fewest },
        { text: 'update every 10th: fastest time', measured: `${mine.toFixed(1)} ms to commit, fastest other ${fastest.name} ${best.toFixed(1)} ms`, met: mine <= best },
      )
    }
    return {
      id: 5,
      title: this.title,
      status: 'done',
      note:
        `${n.toLocaleString('en')} rows, ${reps} fresh page(s) per library, alternating; medians. React 19 production (profiling build), esbuild-built pages, ${libs.length} libraries.` +
        ' "to commit": start of the operation to React.Profiler\'s commit; "to paint": to a task after the next requestAnimationFrame (frame-aligned).' +
        (hasMine ? '' : ' patchdb is waiting: src/react/index.ts does not exist yet.'),
      tables,
      checked: libs.map((l) => l.name),
      targets,
    }
  },
}

function checkTable(lib: string, op: Op, got: string[], want: string[]): void {
  if (got.length !== want.length) throw new Error(`${lib} after ${op}: ${got.length} rows shown, expected ${want.length}`)
  const i = got.findIndex((g, k) => g !== want[k])
  if (i >= 0) throw new Error(`${lib} after ${op}: row ${i} shows '${got[i]}', expected '${want[i]}'`)
}
