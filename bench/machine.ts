import { execFileSync } from 'node:child_process'
import os from 'node:os'
import { CHROMIUM } from '../test/support/chromium'

export interface Machine {
  cpu: string
  cores: number
  memoryGiB: number
  node: string
  chromium: string | null
  platform: string
}

export function describeMachine(): Machine {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    chromium: chromiumVersion(),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  }
}

export { CHROMIUM }

function chromiumVersion(): string | null {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return null
  }
}
