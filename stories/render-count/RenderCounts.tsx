import { memo, useRef } from 'react'
import { createPatchHooks } from 'patchdb/react'

interface Row {
  label: string
  n: number
}
export interface Rows {
  rows: Row[]
}

const { usePatch, useSet } = createPatchHooks<Rows>()

/** How many times the calling component has rendered. */
function useRenders(): number {
  const renders = useRef(0)
  return ++renders.current
}

/** One row that watches its own pointer: renders when its row changes, and only then. */
const WatchedRow = memo(function WatchedRow({ i }: { i: number }) {
  const row = usePatch(['rows', i])
  const renders = useRenders()
  if (!row) return null
  return (
    <li data-renders={renders}>
      {row.label}: {row.n} <span className="renders">{renders === 1 ? '1 render' : `${renders} renders`}</span>
    </li>
  )
})

function PerRow({ count }: { count: number }) {
  return (
    <ol aria-label="usePatch per row">
      {Array.from({ length: count }, (_, i) => (
        <WatchedRow key={i} i={i} />
      ))}
    </ol>
  )
}

/** A row that is handed its value: it renders whenever the list above it does. */
function PlainRow({ row }: { row: Readonly<Row> }) {
  const renders = useRenders()
  return (
    <li data-renders={renders}>
      {row.label}: {row.n} <span className="renders">{renders === 1 ? '1 render' : `${renders} renders`}</span>
    </li>
  )
}

/** The whole state through one selector, as a single-selector store would have it. */
function WholeState() {
  const { rows } = usePatch('')
  return (
    <ol aria-label="one whole-state selector">
      {rows.map((row, i) => (
        <PlainRow key={i} row={row} />
      ))}
    </ol>
  )
}

/** Both lists over the same rows, and a button that bumps one row. */
export function RenderCounts({ count, bump }: { count: number; bump: number }) {
  const set = useSet()
  const n = usePatch(['rows', bump, 'n'])
  return (
    <main>
      <h1>Render counts</h1>
      <p>
        <button type="button" onClick={() => set(['rows', bump, 'n'], (n ?? 0) + 1)}>
          Bump row {bump}
        </button>
      </p>
      <div style={{ display: 'flex', gap: '2rem' }}>
        <section aria-labelledby="per-row">
          <h2 id="per-row">usePatch per row</h2>
          <PerRow count={count} />
        </section>
        <section aria-labelledby="whole">
          <h2 id="whole">One whole-state selector</h2>
          <WholeState />
        </section>
      </div>
    </main>
  )
}
