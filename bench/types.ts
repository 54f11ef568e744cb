/** What every scenario returns: one or more tables, the checks it ran and its targets. */
export interface Table {
  title: string
  /** Column names after the first (the contender's name). */
  columns: string[]
  rows: { name: string; cells: (string | number)[] }[]
}

export interface TargetResult {
  /** The target as docs/performance.md words it. */
  text: string
  /** The measured figure, worded (e.g. "31.2x faster"). */
  measured: string
  met: boolean
}

export interface ScenarioResult {
  id: number
  title: string
  status: 'done' | 'waiting'
  /** Why a scenario waits, or notes on how it was measured. */
  note?: string
  tables: Table[]
  /** Names of the contenders whose final-state check passed; a failed check throws. */
  checked: string[]
  targets: TargetResult[]
}

export interface RunOptions {
  quick: boolean
}

export interface Scenario {
  id: number
  title: string
  run(options: RunOptions): Promise<ScenarioResult>
}
