// @vitest-environment jsdom
import { memo } from 'react'
import { act, cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { createStore, type JsonValue } from 'patchdb'
import { PatchProvider, usePatch } from 'patchdb/react'

const N = 1000
const renders = new Map<number, number>()
afterEach(() => {
  cleanup()
  renders.clear()
})

const Row = memo(function Row({ i }: { i: number }) {
  const value = usePatch(`/rows/${i}`)
  renders.set(i, (renders.get(i) ?? 0) + 1)
  return <li data-i={i}>{JSON.stringify(value)}</li>
})

function mount(rows: JsonValue[]) {
  const store = createStore<{ rows: JsonValue[]; other: number }>({ value: { rows, other: 0 } })
  const view = render(
    <PatchProvider store={store}>
      <ul>
        {Array.from({ length: N }, (_, i) => (
          <Row key={i} i={i} />
        ))}
      </ul>
    </PatchProvider>,
  )
  expect(renders.size).toBe(N)
  renders.clear()
  return { store, view }
}

/** Rows rendered since the last clear, as a sorted list of indices. */
const rendered = () => [...renders.keys()].sort((a, b) => a - b)

describe('exact renders: 1,000 rows, each watching /rows/i', () => {
  it('a patch to one row renders exactly that row, once', () => {
    const { store, view } = mount(Array.from({ length: N }, (_, i) => ({ n: i })))
    act(() => void store.apply([{ op: 'replace', path: '/rows/500/n', value: -1 }]))
    expect(rendered()).toEqual([500])
    expect(renders.get(500)).toBe(1)
    expect(view.container.querySelector('[data-i="500"]')!.textContent).toBe('{"n":-1}')
  })

  it('an insert at index 0 re-renders the rows whose value changed, and no others', () => {
    // Blocks of 100 equal values: after the shift only the first row of each block changes.
    const before = Array.from({ length: N }, (_, i) => Math.floor(i / 100))
    const { store, view } = mount(before)
    act(() => void store.apply([{ op: 'add', path: '/rows/0', value: 0 }]))
    const after = [0, ...before]
    const changed = before.map((_, i) => i).filter((i) => before[i] !== after[i])
    expect(changed).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900])
    expect(rendered()).toEqual(changed)
    expect([...renders.values()].every((n) => n === 1)).toBe(true)
    expect(view.container.querySelector('[data-i="100"]')!.textContent).toBe('0')
  })

  it('an insert at index 0 of distinct objects re-renders every shifted row once', () => {
    const { store } = mount(Array.from({ length: N }, (_, i) => ({ n: i })))
    act(() => void store.apply([{ op: 'add', path: '/rows/0', value: { n: -1 } }]))
    expect(rendered()).toHaveLength(N)
    expect([...renders.values()].every((n) => n === 1)).toBe(true)
  })

  it('a patch elsewhere renders none', () => {
    const { store } = mount(Array.from({ length: N }, (_, i) => ({ n: i })))
    act(() => {
      store.apply([{ op: 'replace', path: '/other', value: 1 }])
      store.apply([{ op: 'add', path: '/rows/-', value: { n: N } }])
    })
    expect(store.revision).toBe(2)
    expect(rendered()).toEqual([])
  })
})
