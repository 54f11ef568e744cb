// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react'
import type { ReactElement } from 'react'
import { composeStory, type Meta, type StoryObj } from '@storybook/react-vite'
import { createStore } from 'patchdb'
import { createInspector } from 'patchdb/devtools'
import { useApply, usePatch } from 'patchdb/react'
import { ASK_EVENT, expectPatches, expectValue, patchesSinceRender, revisionsSinceRender, SESSION_EVENT, storyInspector, storyStore, withPatchdb } from 'patchdb/storybook'
import { Channel } from 'storybook/internal/channels'
import { addons } from 'storybook/preview-api'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

// The decorator and the play helpers with real React (jsdom), stories composed by
// Storybook's own composeStory, which runs decorators with Storybook's hooks. (A composed
// story starts new hooks on every render, so keeping the store across renders with equal
// args, and a fresh one on an args change, is tested in the real preview:
// patches-panel.e2e.test.ts.)

function Doc({ label }: { label?: string }) {
  const doc = usePatch('')
  const apply = useApply()
  return (
    <>
      <pre data-testid="doc">{JSON.stringify(doc)}</pre>
      <button onClick={() => apply([{ op: 'add', path: '/added', value: label ?? true }])}>write</button>
    </>
  )
}

const meta = { title: 'Test', component: Doc, decorators: [withPatchdb], parameters: { patchdb: { value: { n: 1 } } } } satisfies Meta<typeof Doc>
/** A composed story: a component (its props are args), with its id. */
type Composed = ((props?: { label?: string }) => ReactElement) & { id: string }
const compose = (story: StoryObj<typeof Doc>, name: string, of: Meta<typeof Doc> = meta): Composed => composeStory(story, of, undefined, name) as unknown as Composed
const doc = () => JSON.parse(screen.getByTestId('doc').textContent!)

let channel: Channel
let announced: { storyId: string; session: string | null }[]
beforeEach(() => {
  channel = new Channel({})
  addons.setChannel(channel)
  announced = []
  channel.on(SESSION_EVENT, (e: { storyId: string; session: string | null }) => announced.push(e))
})
afterEach(() => cleanup())

describe('withPatchdb', () => {
  it('seeds each story from parameters.patchdb: { value }, a dump, or an exported log (replayed, so its revisions can be travelled)', () => {
    const recorded = createStore({ value: { todos: [] as string[] } })
    const inspector = createInspector(recorded)
    recorded.apply([{ op: 'add', path: '/todos/-', value: 'a' }], { label: 'add a' })
    recorded.apply([{ op: 'add', path: '/todos/-', value: 'b' }], { label: 'add b' })
    const log = inspector.export()

    const FromValue = compose({}, 'FromValue')
    render(<FromValue />)
    expect(doc()).toEqual({ n: 1 })
    cleanup()

    const FromDump = compose({ parameters: { patchdb: { id: 41, value: { n: 2 } } } }, 'FromDump')
    render(<FromDump />)
    expect(doc()).toEqual({ n: 2 })
    expect(storyStore(FromDump).revision).toBe(41)
    cleanup()

    // A meta of its own: Storybook would merge the log into the meta's { value } (refused, below).
    const FromLog = compose({ parameters: { patchdb: log } }, 'FromLog', { title: 'Logs', component: Doc, decorators: [withPatchdb] })
    render(<FromLog />)
    expect(doc()).toEqual({ todos: ['a', 'b'] })
    expect(storyInspector(FromLog).entries().map((e) => e.label)).toEqual(['add a', 'add b'])
    act(() => storyInspector(FromLog).jump(1))
    expect(doc()).toEqual({ todos: ['a'] })
    // The replay is the seed, not something the story wrote.
    act(() => storyInspector(FromLog).live())
    expect(patchesSinceRender(FromLog)).toEqual([])
  })

  it('stories never share a store, and a story rendered again starts from its seed', () => {
    const A = compose({}, 'A')
    const B = compose({}, 'B')
    render(<A />)
    act(() => screen.getByRole('button', { name: 'write' }).click())
    expect(doc()).toEqual({ n: 1, added: true })
    const first = storyStore(A)
    cleanup()
    render(<B />)
    expect(doc()).toEqual({ n: 1 })
    expect(storyStore(B)).not.toBe(first)
    cleanup()
    render(<A />)
    expect(doc()).toEqual({ n: 1 })
    expect(storyStore(A)).not.toBe(first)
  })

  it('tells the manager which session each render has (null for a story without a store), again when it asks', () => {
    const S = compose({}, 'Announced')
    render(<S />)
    const session = announced.at(-1)!
    expect(session).toEqual({ storyId: S.id, session: expect.stringMatching(new RegExp(`^${S.id}#\\d+$`)) })
    cleanup()
    const Plain = compose({ parameters: {} }, 'Plain', { title: 'Plain', component: Doc, decorators: [withPatchdb] })
    expect(() => render(<Plain />)).toThrow() // Doc needs a store: the decorator gave none
    expect(announced.at(-1)).toEqual({ storyId: Plain.id, session: null })
    const count = announced.length
    channel.emit(ASK_EVENT)
    expect(announced).toHaveLength(count + 1)
    expect(announced.at(-1)).toEqual({ storyId: Plain.id, session: null })
  })

  it('a bad parameters.patchdb is refused with the story named and the shapes it takes', () => {
    const bare = { title: 'Bare', component: Doc, decorators: [withPatchdb] }
    for (const bad of [null, 'x', [], { todos: [] }, { id: 1 }, { value: 1, todos: [] }]) {
      const Bad = compose({ parameters: { patchdb: bad } }, 'Bad', bare)
      // Called as a function, the composed story runs its decorators at once.
      expect(() => Bad(), JSON.stringify(bad)).toThrow(/story 'bare--bad' is \{ value \}, a dump \{ id, value \} or an exported log/)
    }
  })

  it('a forged exported log is refused by the inspector\'s validation, naming the field', () => {
    const Forged = compose({ parameters: { patchdb: { format: 'patchdb-log', version: 1, base: { id: 0, value: {} }, revisions: [{ id: 1, patch: [{ op: 'add', path: '/__proto__/x', value: 1 }], time: 0, origin: 'local', skipped: false }] } } }, 'Forged', { title: 'Forged', component: Doc, decorators: [withPatchdb] })
    expect(() => Forged()).toThrow(/revisions\[0\]\.patch/)
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  it('args that are not JSON (an element, a cycle, a function) are compared by identity, never serialized', () => {
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    const S = compose({ args: { label: 'x', cycle, onClick: () => {}, icon: <b>i</b> } as never }, 'Odd')
    render(<S />)
    expect(doc()).toEqual({ n: 1 })
  })

  it("a story's { value } merged by Storybook into its meta's exported log is refused, not read as either", () => {
    const recorded = createStore({ value: { n: 0 } })
    const log = createInspector(recorded).export()
    const Mixed = compose({ parameters: { patchdb: { value: { n: 5 } } } }, 'Mixed', { title: 'Mixed', component: Doc, decorators: [withPatchdb], parameters: { patchdb: log } })
    expect(() => Mixed()).toThrow(/it has 'value' too \(Storybook merges a story's parameters into its meta's: give both the same shape\)/)
  })
})

describe('play helpers', () => {
  it("patchesSinceRender and revisionsSinceRender hold what the story wrote after its seed, in order", () => {
    const S = compose({ parameters: { patchdb: { id: 7, value: { n: 1 } } } }, 'Writes')
    render(<S />)
    expect(patchesSinceRender(S)).toEqual([])
    act(() => screen.getByRole('button', { name: 'write' }).click())
    act(() => void storyStore(S).apply([{ op: 'replace', path: '/n', value: 2 }]))
    expect(revisionsSinceRender(S)).toEqual([
      { id: 8, patch: [{ op: 'add', path: '/added', value: true }] },
      { id: 9, patch: [{ op: 'replace', path: '/n', value: 2 }] },
    ])
    expectPatches(S).toEqual([
      { op: 'add', path: '/added', value: true },
      { op: 'replace', path: '/n', value: 2 },
    ])
    expectValue(S, '/n').toBe(2)
    expectValue(S, ['added']).toBe(true)
    expectValue(S, '/missing').toBeUndefined()
  })

  it('they fail when the story wrote something else', () => {
    const S = compose({}, 'Fails')
    render(<S />)
    act(() => screen.getByRole('button', { name: 'write' }).click())
    expect(() => expectPatches(S).toEqual([])).toThrow()
    expect(() => expectPatches(S).toEqual([{ op: 'add', path: '/added', value: false }])).toThrow()
    expect(() => expectValue(S, '/n').toBe(2)).toThrow()
  })

  it('a story without a store is named in the error', () => {
    expect(() => storyStore({ id: 'nowhere--story' })).toThrow(/story 'nowhere--story' has no store: give it parameters.patchdb/)
  })

  it('more revisions than the store retains cannot be checked whole, and say so', () => {
    const S = compose({}, 'Long')
    render(<S />)
    act(() => {
      for (let i = 0; i < 1001; i++) storyStore(S).apply([{ op: 'replace', path: '/n', value: i + 2 }])
    })
    expect(() => patchesSinceRender(S)).toThrow(/wrote 1001 revisions, more than its store retains/)
  })
})
