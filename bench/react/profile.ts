// Where the time of one operation of the React scenario goes, per function, from Chromium's
// CPU profiler (CDP) on unminified pages:
//   node --import tsx bench/react/profile.ts [--lib=patchdb-keyed] [--op=mount] [--n=1000] [--pages=5] [--rounds=4] [--time [--libs='Zustand|Jotai']]
// `--rounds`: the op is measured in the last round of a page, after rounds - 1 of warm-up.
// `--time` instead prints each library's median per op (a quick comparison, no profile).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { launchChromium } from '../browser'
import { median } from '../measure'
import { buildPages, LIBS, measureReact } from '../scenarios/react'
import { OPS, type Op } from './protocol'

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback
const n = Number(arg('n', '1000'))
const pages = Number(arg('pages', '5'))
const rounds = Number(arg('rounds', '4'))
const SAMPLING_US = 50

if (process.argv.includes('--time')) {
  const names = arg('libs', '').split('|').filter(Boolean)
  const results = await measureReact(n, pages, rounds, names.length ? names : undefined)
  for (const op of OPS) {
    const line = [...results].map(([name, rs]) => {
      const mine = rs.filter((r) => r.op === op && r.round === rounds - 1)
      return `${name} ${median(mine.map((r) => r.time)).toFixed(1)} [w ${median(mine.map((r) => r.write)).toFixed(1)}] (${median(mine.map((r) => r.renders))})`
    })
    console.log(`${op.padEnd(18)} ${line.join(' | ')}`)
  }
} else {
  const file = arg('lib', 'patchdb-keyed')
  const target = arg('op', 'mount') as Op
  if (!LIBS.some((l) => l.file === file) || !OPS.includes(target)) throw new Error(`--lib is one of ${LIBS.map((l) => l.file)}, --op one of ${OPS}`)
  const dir = mkdtempSync(join(tmpdir(), 'patchdb-react-profile-'))
  await buildPages(dir, false)
  // esbuild marks each module of an unminified bundle with a `// path` line: self time per module group.
  const marks: [number, string][] = []
  readFileSync(join(dir, `${file}.js`), 'utf8').split('\n').forEach((line, i) => {
    const m = /^\s*\/\/ (\S+\.(?:ts|tsx|js|mjs|cjs))$/.exec(line)
    if (!m) return
    const path = m[1]!
    marks.push([i, /node_modules\/(react|react-dom|scheduler)\//.test(path) ? 'React' : path.includes('node_modules/') ? 'the library' : /(^|\/)src\//.test(path) ? 'patchdb' : 'bench page'])
  })
  const groupOf = (url: string, line: number) => {
    if (url === '') return 'browser (DOM, GC, natives)'
    let group = 'other'
    for (const [at, g] of marks) if (at <= line) group = g
    return group
  }
  const groups = new Map<string, number>()
  const browser = await launchChromium()
  const self = new Map<string, number>()
  let total = 0
  /** Time between samples beyond a few intervals: the sampler stalled, and where the thread was is not known. */
  let gaps = 0
  let wall = 0
  try {
    for (let p = 0; p < pages; p++) {
      const page = await browser.newPage()
      const cdp = await page.context().newCDPSession(page)
      await page.goto(`file://${join(dir, `${file}.html`)}?n=${n}`)
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US })
      // Warm-up rounds first, as the scenario's warm figures have them.
      for (let round = 1; round < rounds; round++) {
        for (const op of OPS) await page.evaluate((o) => window.bench.run(o), op)
        await page.evaluate(() => window.bench.reset())
      }
      for (const op of OPS) {
        if (op === target) await cdp.send('Profiler.start')
        const res = await page.evaluate((o) => window.bench.run(o), op)
        if (op !== target) continue
        const { profile } = await cdp.send('Profiler.stop')
        wall += res.time
        // Self time per function: each sample's time goes to the node it landed on.
        const byId = new Map(profile.nodes.map((node) => [node.id, node]))
        const deltas = profile.timeDeltas ?? []
        for (let i = 0; i < (profile.samples ?? []).length; i++) {
          const node = byId.get(profile.samples![i]!)!
          const f = node.callFrame
          const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`
          // A sample stands for the time until the next one, up to four intervals: Chromium's
          // sampler sometimes stalls for milliseconds, which would all go to one function.
          const raw = (deltas[i + 1] ?? 0) / 1000
          const dt = Math.min(raw, (4 * SAMPLING_US) / 1000)
          gaps += raw - dt
          if (['(idle)', '(program)'].includes(f.functionName)) continue
          self.set(name, (self.get(name) ?? 0) + dt)
          const group = groupOf(f.url, f.lineNumber)
          groups.set(group, (groups.get(group) ?? 0) + dt)
          total += dt
        }
        break
      }
      await page.close()
    }
  } finally {
    await browser.close()
    rmSync(dir, { recursive: true, force: true })
  }
  console.log(`${file}, ${target}, ${n} rows: ${(wall / pages).toFixed(1)} ms per op (flushSync), ${(total / pages).toFixed(1)} ms sampled per page, ${(gaps / pages).toFixed(1)} ms in sampler stalls (not attributed)`)
  console.log([...groups].sort((a, b) => b[1] - a[1]).map(([g, ms]) => `${g} ${(ms / pages).toFixed(1)} ms`).join(', '))
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(ms / pages).toFixed(2).padStart(8)} ms  ${name}`)
}
