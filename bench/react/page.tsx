import type { ReactNode } from 'react'
import { flushSync } from 'react-dom'
import { createRoot } from 'react-dom/client'
import { plan, type Adapter, type Op, type OpResult } from './protocol'

let renders = 0
const noop = () => {}

/** Every library's row: counts its renders, shows `id:label`, `class="danger"` when selected. */
export function RowView({ id, label, selected }: { id: number; label: string; selected: boolean }): ReactNode {
  renders++
  return (
    <tr className={selected ? 'danger' : ''}>
      <td>{id}</td>
      <td>{`${id}:${label}`}</td>
    </tr>
  )
}

declare global {
  interface Window {
    bench: { run(op: Op): Promise<OpResult>; reset(): void }
  }
}

/** A task after the next animation frame: the frame that follows the commit has painted. */
const afterPaint = () =>
  new Promise<void>((resolve) =>
    requestAnimationFrame(() => {
      const ch = new MessageChannel()
      ch.port1.onmessage = () => resolve()
      ch.port2.postMessage(null)
    }),
  )

const shown = (container: HTMLElement) =>
  Array.from(container.querySelectorAll('tr'), (tr) => tr.lastElementChild!.textContent! + (tr.className === 'danger' ? ' *' : ''))

/** Exposes `window.bench.run(op)` and `reset()` for the page of one library; ops run in order. */
export function startPage(adapter: Adapter, n: number): void {
  let p = plan(n)
  const container = document.getElementById('root')!
  let root = createRoot(container)
  // The state is made before "mount", untimed: "mount" times React's first render alone.
  adapter.init(p.rows)
  const write: Record<Op, () => void> = {
    mount: () =>
      root.render(
        <table>
          <tbody>
            <adapter.App />
          </tbody>
        </table>,
      ),
    'update every 10th': () => adapter.updateEvery10th(),
    'select one': () => adapter.select(p.select),
    'swap two': () => adapter.swap(p.swap[0], p.swap[1]),
    'remove one': () => adapter.remove(p.remove),
    'append 1,000': () => adapter.append(p.append),
    clear: () => adapter.clear(),
  }
  window.bench = {
    /** Unmounts the table and makes the state again, for the next round of ops on this page. */
    reset() {
      root.unmount()
      root = createRoot(container)
      // Fresh rows: some libraries take the objects they are given as their own (Legend-State
      // and Valtio keep or proxy them, Immer freezes them).
      p = plan(n)
      adapter.init(p.rows)
    },
    async run(op) {
      await afterPaint()
      renders = 0
      const t0 = performance.now()
      let written = 0
      // Synchronous for every library: render, commit and passive effects (subscriptions) included.
      flushSync(() => {
        write[op]()
        written = performance.now() - t0
      })
      // Valtio notifies React in a microtask (one batch per write, its default): what that
      // scheduled is rendered here. For the others this finds nothing to do.
      await Promise.resolve()
      flushSync(noop)
      const time = performance.now() - t0
      const counted = renders
      // Read before yielding: a library that rendered later would show the old table.
      const table = shown(container)
      await afterPaint()
      return { op, time, write: written, toPaint: performance.now() - t0, renders: counted, table }
    },
  }
}
