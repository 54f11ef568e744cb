import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { markdownTable } from './format'
import { describeMachine } from './machine'
import { scenarios } from './scenarios/index'
import type { ScenarioResult } from './types'

export interface BenchOptions {
  quick: boolean
  /** Where the JSON results go. */
  out: string
  print: (line: string) => void
  /** Only these scenario ids (all by default). */
  only?: number[]
}

/** Runs the scenarios one after another, prints each as it ends, writes the JSON. */
export async function runBench(options: BenchOptions): Promise<ScenarioResult[]> {
  const machine = describeMachine()
  options.print(`patchdb bench${options.quick ? ' (quick)' : ''}: ${machine.cores} cores ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}`)
  const results: ScenarioResult[] = []
  for (const s of scenarios) {
    if (options.only && !options.only.includes(s.id)) continue
    const started = performance.now()
    const r = await s.run({ quick: options.quick })
    results.push(r)
    options.print(render(r, performance.now() - started))
  }
  mkdirSync(dirname(options.out), { recursive: true })
  writeFileSync(options.out, JSON.stringify({ date: new Date().toISOString(), quick: options.quick, machine, results }, null, 2) + '\n')
  return results
}

export function render(r: ScenarioResult, ms: number): string {
  const lines = [`\n## ${r.id}. ${r.title}${r.status === 'waiting' ? ' — waiting' : ''} (${(ms / 1000).toFixed(1)} s)`]
  if (r.note) lines.push(r.note)
  for (const t of r.tables) lines.push('', `${t.title}:`, '', markdownTable(t))
  if (r.targets.length) lines.push('', 'Targets:')
  for (const t of r.targets) lines.push(`- ${t.met ? 'met' : 'MISSED'}: ${t.text} — measured ${t.measured}`)
  return lines.join('\n')
}
