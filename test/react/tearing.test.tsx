// @vitest-environment jsdom
import { startTransition, useDeferredValue, useLayoutEffect, useState } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createStore } from 'patchdb'
import { PatchProvider, usePatch } from 'patchdb/react'

/*
 * Concurrent rendering is time-sliced, so these tests run without act() (which would
 * flush everything synchronously) and let store updates arrive from timers while a slow
 * transition render is in progress. After every commit, each rendered cell checks the
 * whole DOM: all cells must show the same value (one revision per commit).
 */
const CELLS = 24
const UPDATES = 12
let container: HTMLDivElement
let root: Root
let tears: string[]
let lastRenderAt = 0
let lastCommitAt = 0

beforeEach(() => {
  ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false
  container = document.body.appendChild(document.createElement('div'))
  root = createRoot(container)
  tears = []
})
afterEach(() => {
  root.unmount()
  container.remove()
})

const busy = (ms: number) => {
  const end = performance.now() + ms
  while (performance.now() < end);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function useNoTearing() {
  useLayoutEffect(() => {
    lastCommitAt = performance.now()
    const shown = new Set([...container.querySelectorAll('.cell')].map((c) => c.getAttribute('data-value')))
    if (shown.size > 1) tears.push([...shown].join(' vs '))
  })
}

function Cell({ tick }: { tick: number }) {
  const count = usePatch('/count')
  lastRenderAt = performance.now()
  busy(1)
  useNoTearing()
  return <span className="cell" data-value={String(count)}>{`${tick}:${count}`}</span>
}

function DeferredCell() {
  const count = useDeferredValue(usePatch('/count'))
  lastRenderAt = performance.now()
  busy(1)
  useNoTearing()
  return <span className="cell" data-value={String(count)} />
}

/** Store updates from a timer; counts those that landed between a render and its commit. */
async function updateDuringRenders(set: (n: number) => void) {
  let midRender = 0
  for (let n = 1; n <= UPDATES; n++) {
    await sleep(3)
    if (lastRenderAt > lastCommitAt) midRender++
    set(n)
  }
  return midRender
}

async function until(check: () => boolean) {
  for (let i = 0; i < 1000 && !check(); i++) await sleep(5)
  return check()
}
const allShow = (value: string) => {
  const cells = [...container.querySelectorAll('.cell')]
  return cells.length === CELLS && cells.every((c) => c.getAttribute('data-value') === value)
}

// Slow renders are the point of these tests: on a busy machine they outlast the default 5 s.
describe('no tearing', { timeout: 30_000 }, () => {
  it('under startTransition, with store updates arriving during the render', async () => {
    const store = createStore({ value: { count: 0 } })
    let setTick!: (n: number) => void
    function App() {
      const [tick, set] = useState(0)
      setTick = set
      return Array.from({ length: CELLS }, (_, i) => <Cell key={i} tick={tick} />)
    }
    root.render(
      <PatchProvider store={store}>
        <App />
      </PatchProvider>,
    )
    expect(await until(() => allShow('0'))).toBe(true)
    let midRender = 0
    for (let t = 1; t <= 3; t++) {
      startTransition(() => setTick(t))
      midRender += await updateDuringRenders((n) => store.set('/count', (t - 1) * UPDATES + n))
    }
    expect(await until(() => allShow(String(3 * UPDATES)) && container.textContent!.startsWith('3:'))).toBe(true)
    expect(midRender).toBeGreaterThan(0)
    expect(tears).toEqual([])
  })

  it('under useDeferredValue, with store updates arriving during the deferred render', async () => {
    const store = createStore({ value: { count: 0 } })
    root.render(
      <PatchProvider store={store}>
        {Array.from({ length: CELLS }, (_, i) => (
          <DeferredCell key={i} />
        ))}
      </PatchProvider>,
    )
    expect(await until(() => allShow('0'))).toBe(true)
    const midRender = await updateDuringRenders((n) => store.set('/count', n))
    expect(await until(() => allShow(String(UPDATES)))).toBe(true)
    expect(midRender).toBeGreaterThan(0)
    expect(tears).toEqual([])
  })
})
