import { chromium, type Browser } from 'playwright-core'
import { CHROMIUM } from './machine'

/** Debian's Chromium through playwright-core, with the flags TOOLCHAIN.md lists. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}
