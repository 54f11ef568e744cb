import { measure } from 'mitata'

/** One library doing one unit of work; `check` throws unless the final state is right. */
export interface Contender {
  name: string
  run(): void
  check(): void
}

export interface Timing {
  name: string
  /** Median over rounds of each round's median time per unit of work, in ns. */
  median: number
  /** (slowest round - fastest round) / median, a measure of noise. */
  spread: number
  rounds: number[]
}

export interface TimingOptions {
  rounds: number
  /** CPU time per contender per round, in ms. */
  budgetMs: number
}

export const timingOptions = (quick: boolean): TimingOptions =>
  quick ? { rounds: 2, budgetMs: 5 } : { rounds: 9, budgetMs: 250 }

/**
 * Measures contenders alternately: each round measures every contender once (mitata:
 * warm-up, then samples until the budget), rotating the order, so a slow phase of a noisy
 * machine hits all of them alike. After each round every contender's check must pass.
 */
export async function timeAlternately(contenders: Contender[], options: TimingOptions): Promise<Timing[]> {
  const perRound = contenders.map(() => [] as number[])
  for (let r = 0; r < options.rounds; r++) {
    for (let j = 0; j < contenders.length; j++) {
      const i = (j + r) % contenders.length
      const c = contenders[i]!
      const stats = await measure(() => c.run(), {
        min_cpu_time: options.budgetMs * 1e6,
        min_samples: 8,
        // mitata runs gc() between samples when it can; a 10,000-row store makes that slow
        gc: false,
      })
      perRound[i]!.push(stats.p50)
      c.check()
    }
  }
  return contenders.map((c, i) => {
    const rounds = perRound[i]!
    const m = median(rounds)
    return { name: c.name, median: m, spread: (Math.max(...rounds) - Math.min(...rounds)) / m, rounds }
  })
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}
