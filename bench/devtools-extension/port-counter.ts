/// <reference types="chrome" />
import { validateInspectorMessage } from 'patchdb/devtools'
import { PANEL_PORT } from '../../devtools/src/store-lists'
import { createReceiver, createSender } from '../../devtools/src/wire'

/*
 * Evaluated in an extension page by the bench: a port to a tab's relay as the panel opens
 * one, the same framing, every message put back together, parsed and validated as the
 * panel does; it counts the entries that arrive, so the transport is timed without the
 * panel's rendering.
 */
let entries = 0
let waiting: { count: number; resolve(t: number): void } | null = null
/** Resolved by the inspector's first message: entries written before it would arrive in its list, not one by one. */
let connected: () => void
const ready = new Promise<void>((resolve) => (connected = resolve))
const portBench = {
  connect(tabId: number, name: string) {
    const port = chrome.tabs.connect(tabId, { name: PANEL_PORT, frameId: 0 })
    const receiver = createReceiver()
    port.onMessage.addListener((frame: unknown) => {
      const json = receiver.receive(frame)
      if (json === null) return
      const m = validateInspectorMessage(JSON.parse(json).message)
      connected()
      if (m.type !== 'entry') return
      entries++
      if (waiting && entries >= waiting.count) {
        waiting.resolve(performance.timeOrigin + performance.now())
        waiting = null
      }
    })
    createSender((f) => port.postMessage(f)).send({ name, message: { type: 'connect', version: 1 } })
  },
  ready: () => ready,
  /** Resolves with the epoch time at which the `count`-th entry (since connect) arrived. */
  reaches: (count: number) => new Promise<number>((resolve) => (entries >= count ? resolve(performance.timeOrigin + performance.now()) : (waiting = { count, resolve }))),
}
;(globalThis as unknown as { portBench: typeof portBench }).portBench = portBench
