// @vitest-environment jsdom
import { cleanup, fireEvent, render, within } from '@testing-library/react'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { applyPatch, deepEqual, getPath, type JsonValue, type Operation, type Patch } from 'patchdb'
import { connectDirect, PatchDevtools } from 'patchdb/devtools'
import { fakeInspector } from './support/fake-inspector'

afterEach(cleanup)

const POINTERS = ['', '/a', '/a/b', '/a/c', '/l', '/l/0', '/l/1', '/l/2']
const value: fc.Arbitrary<JsonValue> = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom<JsonValue>({ x: 1 }, [1], null))
const op: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), path: fc.constantFrom('/a/b', '/a/c', '/a', '/l/0'), value }),
  fc.record({ op: fc.constant('add' as const), path: fc.constantFrom('/l/0', '/l/-', '/a/b', '/a/d'), value }),
  fc.record({ op: fc.constant('remove' as const), path: fc.constantFrom('/l/0', '/a/c', '/a/d') }),
  fc.record({ op: fc.constant('move' as const), from: fc.constantFrom('/l/0', '/a/b'), path: fc.constantFrom('/l/-', '/a/e') }),
  fc.record({ op: fc.constant('copy' as const), from: fc.constantFrom('/a', '/l/0'), path: fc.constantFrom('/l/1', '/a/f') }),
)
const INITIAL = { a: { b: 1, c: { x: 1 } }, l: [0, 1] }

/** Keeps the patches that apply in order (the store refuses the others), like a real log. */
function applying(patches: Patch[]): Patch[] {
  const out: Patch[] = []
  let doc: unknown = INITIAL
  for (const p of patches) {
    try {
      const next = applyPatch(doc, p).value
      if (deepEqual(next, doc)) continue // a no-op makes no revision
      doc = next
      out.push(p)
    } catch {
      // refused: not a revision
    }
  }
  return out
}

describe('filter by pointer (property)', () => {
  it('filter by pointer lists exactly the revisions whose value there changed (an equal copy written there is no change)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 }), fc.constantFrom(...POINTERS), (raw, pointer) => {
        const writes = applying(raw)
        const fake = fakeInspector(INITIAL, writes)
        const { container, unmount } = render(<PatchDevtools connection={connectDirect(fake.port)} inline />)
        try {
          const ui = within(container.querySelector('[data-patchdb-devtools]')!.shadowRoot!.querySelector('section')!)
          fireEvent.change(ui.getByRole('textbox', { name: 'Filter by pointer' }), { target: { value: pointer } })
          fireEvent.keyDown(ui.getByRole('listbox', { name: 'Revisions' }), { key: 'Home' }) // at most 12 rows: all in view from the top
          const shown = ui.queryAllByRole('option').map((o) => Number(/^#(\d+)/.exec(o.textContent!)![1]))
          const expected = fake.entries
            .map((e) => e.id)
            .filter((id) => !deepEqual(getPath(fake.store.valueAt(id - 1), pointer), getPath(fake.store.valueAt(id), pointer)))
          expect(shown).toEqual(expected)
        } finally {
          unmount()
        }
      }),
      {
        numRuns: 60,
        // A deep-equal copy put at the pointer by a patch that changes something else.
        examples: [
          [[[{ op: 'replace', path: '/a/c', value: { x: 1 } }, { op: 'replace', path: '/a/b', value: 2 }]], '/a/c'],
          [[[{ op: 'replace', path: '/a', value: { b: 1, c: { x: 1 }, d: 0 } }]], '/a/c'],
        ],
      },
    )
  }, 60_000)
})
