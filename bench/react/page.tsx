import { Profiler, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { plan, type Adapter, type Op, type OpResult } from './protocol'

let renders = 0
/** Called in the body of every row component. */
export const countRender = (): void => void renders++

export function RowView({ id, label }: { id: number; label: string }): ReactNode {
  countRender()
  return (
    <tr>
      <td>{id}</td>
      <td>{`${id}:${label}`}</td>
    </tr>
  )
}

declare global {
  interface Window {
    bench: { run(op: Op): Promise<OpResult> }
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

/** Exposes `window.bench.run(op)` for the page of one library; ops run in order. */
export function startPage(adapter: Adapter, n: number): void {
  const p = plan(n)
  const container = document.getElementById('root')!
  const root = createRoot(container)
  let lastCommit = 0
  const onRender = (_id: string, _phase: string, _actual: number, _base: number, _start: number, commitTime: number) => {
    lastCommit = commitTime
  }
  const write: Record<Exclude<Op, 'mount'>, () => void> = {
    'update every 10th': () => adapter.updateEvery10th(),
    'swap two rows': () => adapter.swap(p.swap[0], p.swap[1]),
    'remove one row': () => adapter.remove(p.remove),
  }
  window.bench = {
    async run(op) {
      await afterPaint()
      renders = 0
      if (op === 'mount') adapter.init(p.rows)
      const t0 = performance.now()
      if (op === 'mount') {
        root.render(
          <Profiler id="app" onRender={onRender}>
            <table>
              <tbody id="rows">
                <adapter.App />
              </tbody>
            </table>
          </Profiler>,
        )
      } else write[op]()
      await afterPaint()
      const toPaint = performance.now() - t0
      const table = Array.from(container.querySelectorAll('tr'), (tr) => tr.lastElementChild!.textContent!)
      return { op, toCommit: lastCommit - t0, toPaint, renders, table }
    },
  }
}
