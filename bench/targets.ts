import { byName, formatRatio } from './format'
import type { Timing } from './measure'
import type { TargetResult } from './types'

/** "patchdb is at least `times` x faster than `peer`" (times < 1 means "within 1/times"). */
export function speedTarget(text: string, timings: Timing[], subject: string, peer: string, times: number): TargetResult {
  const speedup = byName(timings, peer).median / byName(timings, subject).median
  const measured = speedup >= 1 ? `${formatRatio(speedup)} faster than ${peer}` : `${formatRatio(1 / speedup)} slower than ${peer}`
  return { text, measured, met: speedup >= times }
}
