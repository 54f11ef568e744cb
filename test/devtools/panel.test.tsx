// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createStore, type JsonValue, type Patch } from 'patchdb'
import { connectDirect, createInspector, PatchDevtools, type EntryMessage, type InspectorMessage, type PanelConnection } from 'patchdb/devtools'
import { fakeInspector } from './support/fake-inspector'

afterEach(() => {
  cleanup()
  vi.unstubAllEnvs()
})

/** The panel's region, found through its shadow root (the app's DOM does not contain it). */
function panel(container: HTMLElement) {
  const host = container.querySelector('[data-patchdb-devtools]')!
  const region = host.shadowRoot!.querySelector('section')!
  return within(region as HTMLElement)
}
const optionTexts = (ui: ReturnType<typeof panel>) => ui.queryAllByRole('option').map((o) => o.textContent)

const todos = (n: number): Patch[] => Array.from({ length: n }, (_, i) => [{ op: 'add', path: '/todos/-', value: { title: `t${i}`, done: false } }])

describe('PatchDevtools panel', () => {
  it('names every control as the contract says', async () => {
    const fake = fakeInspector({ todos: [] }, todos(3), ['add t0'])
    const { container } = render(<PatchDevtools connection={connectDirect(fake.port)} inline />)
    const ui = panel(container)
    expect(container.querySelector('[data-patchdb-devtools]')!.shadowRoot!.querySelector('section')!.getAttribute('aria-label')).toBe('patchdb devtools')
    const list = ui.getByRole('listbox', { name: 'Revisions' })
    expect(within(list).getAllByRole('option').map((o) => o.textContent)).toEqual([
      expect.stringMatching(/^#1 add t0/),
      expect.stringMatching(/^#2 add \/todos\/-/),
      expect.stringMatching(/^#3 /),
    ])
    for (const name of ['Step back', 'Step forward', 'Play', 'Live', 'Pause recording', 'Export', 'Import', 'Commit', 'Reset']) {
      expect(ui.getByRole('button', { name })).toBeTruthy()
    }
    expect(ui.getByRole('textbox', { name: 'Filter by pointer' })).toBeTruthy()
    expect(ui.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Patch', 'Diff', 'State', 'Watchers'])
    expect(fake.sent[0]).toEqual({ type: 'connect', version: 1 })
  })

  it('the revision list is virtualized: 10,000 entries put a screenful of options in the DOM', () => {
    const fake = fakeInspector({ todos: [] }, todos(10_000))
    const { container } = render(<PatchDevtools connection={connectDirect(fake.port)} inline />)
    const ui = panel(container)
    const list = ui.getByRole('listbox', { name: 'Revisions' })
    // Live: the newest is selected and scrolled into view.
    expect(ui.getAllByRole('option').length).toBeLessThan(60)
    expect(ui.getByRole('option', { selected: true }).textContent).toMatch(/^#10000 /)
    expect(ui.getByRole('option', { selected: true }).getAttribute('aria-setsize')).toBe('10000')
    fireEvent.keyDown(list, { key: 'Home' })
    expect(ui.getByRole('option', { selected: true }).textContent).toMatch(/^#1 /)
    expect(optionTexts(ui)[0]).toMatch(/^#1 /)
    expect(ui.getAllByRole('option').length).toBeLessThan(60)
    list.scrollTop = 24 * 5000
    fireEvent.scroll(list)
    expect(optionTexts(ui).some((t) => t!.startsWith('#5001 '))).toBe(true)
    expect(optionTexts(ui).some((t) => t!.startsWith('#1 '))).toBe(false)
  }, 30_000) // 10,000 store revisions are made first: room for a loaded machine

  it('arrow keys move the selection and Enter jumps the store there', () => {
    const fake = fakeInspector({ todos: [] }, todos(5))
    const { container } = render(<PatchDevtools connection={connectDirect(fake.port)} inline />)
    const ui = panel(container)
    const list = ui.getByRole('listbox', { name: 'Revisions' })
    fireEvent.keyDown(list, { key: 'ArrowUp' })
    fireEvent.keyDown(list, { key: 'ArrowUp' })
    expect(ui.getByRole('option', { selected: true }).textContent).toMatch(/^#3 /)
    expect(list.getAttribute('aria-activedescendant')).toBe(ui.getByRole('option', { selected: true }).id)
    expect(fake.sent.filter((m) => m.type === 'jump')).toEqual([]) // selecting is not travelling
    fireEvent.keyDown(list, { key: 'Enter' })
    expect(fake.sent.at(-1)).toEqual({ type: 'jump', id: 3 })
    expect(ui.getByRole('status').textContent).toMatch(/showing #3/)
  })

  it('step back, step forward and Live travel one revision at a time, then back to the head', () => {
    const fake = fakeInspector({ todos: [] }, todos(3))
    const { container } = render(<PatchDevtools connection={connectDirect(fake.port)} inline />)
    const ui = panel(container)
    expect((ui.getByRole('button', { name: 'Live' }) as HTMLButtonElement).disabled).toBe(true)
    fireEvent.click(ui.getByRole('button', { name: 'Step back' }))
    fireEvent.click(ui.getByRole('button', { name: 'Step back' }))
    // Live shows #3: back is #2, then #1.
    expect(fake.sent.filter((m) => m.type === 'jump')).toEqual([{ type: 'jump', id: 2 }, { type: 'jump', id: 1 }])
    fireEvent.click(ui.getByRole('button', { name: 'Step forward' }))
    expect(fake.sent.at(-1)).toEqual({ type: 'jump', id: 2 })
    fireEvent.click(ui.getByRole('button', { name: 'Step forward' }))
    expect(fake.sent.at(-1)).toEqual({ type: 'jump', id: 3 })
    fireEvent.click(ui.getByRole('button', { name: 'Step forward' })) // past the newest: live
    expect(fake.sent.at(-1)).toEqual({ type: 'live' })
    fireEvent.click(ui.getByRole('button', { name: 'Step back' }))
    fireEvent.click(ui.getByRole('button', { name: 'Live' }))
    expect(fake.sent.at(-1)).toEqual({ type: 'live' })
    expect(ui.getByRole('status').textContent).toMatch(/^live/)
  })

  it('Play replays from the first revision to the head, one per tick, then goes live', () => {
    vi.useFakeTimers()
    try {
      const fake = fakeInspector({ todos: [] }, todos(3))
      const { container } = render(<PatchDevtools connection={connectDirect(fake.port)} inline />)
      const ui = panel(container)
      fireEvent.click(ui.getByRole('button', { name: 'Play' }))
      expect(ui.getByRole('button', { name: 'Play' }).getAttribute('aria-pressed')).toBe('true')
      act(() => void vi.advanceTimersByTime(2_000))
      expect(fake.sent.slice(1)).toEqual([{ type: 'jump', id: 1 }, { type: 'jump', id: 2 }, { type: 'jump', id: 3 }, { type: 'live' }])
      expect(ui.getByRole('button', { name: 'Play' }).getAttribute('aria-pressed')).toBe('false')
    } finally {
      vi.useRealTimers()
    }
  })

  it('Pause recording becomes Resume recording once the inspector says it paused', () => {
    const fake = fakeInspector({ todos: [] }, todos(1))
    const { container } = render(<PatchDevtools connection={connectDirect(fake.port)} inline />)
    const ui = panel(container)
    fireEvent.click(ui.getByRole('button', { name: 'Pause recording' }))
    expect(fake.sent.at(-1)).toEqual({ type: 'pause', paused: true })
    fireEvent.click(ui.getByRole('button', { name: 'Resume recording' }))
    expect(fake.sent.at(-1)).toEqual({ type: 'pause', paused: false })
    expect(ui.getByRole('button', { name: 'Pause recording' })).toBeTruthy()
  })

  it('Commit, Reset and Skip send their commands for the selected revision', () => {
    const fake = fakeInspector({ todos: [] }, todos(2))
    const { container } = render(<PatchDevtools connection={connectDirect(fake.port)} inline />)
    const ui = panel(container)
    fireEvent.click(ui.getByRole('option', { name: /^#1 / }))
    fireEvent.click(ui.getByRole('button', { name: 'Skip' }))
    fireEvent.click(ui.getByRole('button', { name: 'Commit' }))
    fireEvent.click(ui.getByRole('button', { name: 'Reset' }))
    expect(fake.sent.slice(1)).toEqual([{ type: 'toggle', id: 1 }, { type: 'commit' }, { type: 'reset' }])
  })

  it('filter by pointer lists only the revisions that changed it, each with its patch scoped to it', () => {
    const fake = fakeInspector({ a: { x: 1 }, b: 0 }, [
      [{ op: 'replace', path: '/a/x', value: 2 }],
      [{ op: 'replace', path: '/b', value: 1 }],
      [{ op: 'replace', path: '/a', value: { x: 3, y: 4 } }],
      [{ op: 'replace', path: '/b', value: 2 }],
    ])
    const { container } = render(<PatchDevtools connection={connectDirect(fake.port)} inline />)
    const ui = panel(container)
    fireEvent.change(ui.getByRole('textbox', { name: 'Filter by pointer' }), { target: { value: '/a/x' } })
    expect(optionTexts(ui)).toEqual([expect.stringMatching(/^#1 /), expect.stringMatching(/^#3 /)])
    fireEvent.click(ui.getByRole('option', { name: /^#3 / }))
    const tab = ui.getByRole('tabpanel')
    // Scoped: the replace of /a becomes a root replace of the value at /a/x.
    expect(tab.textContent).toMatch(/Scoped to \/a\/x\s*replace "" \{"value":3\}/)
    fireEvent.change(ui.getByRole('textbox', { name: 'Filter by pointer' }), { target: { value: 'no-slash' } })
    expect(ui.getByText(/pointer/i, { selector: '.error' })).toBeTruthy()
    expect(optionTexts(ui)).toHaveLength(4) // a malformed pointer filters nothing out
    // A pointer through a prototype name finds nothing and reaches nothing.
    fireEvent.change(ui.getByRole('textbox', { name: 'Filter by pointer' }), { target: { value: '/__proto__/polluted' } })
    expect(optionTexts(ui)).toEqual([])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('the Diff and State tabs show the document rebuilt from the base and the patches', () => {
    const fake = fakeInspector({ todos: [{ title: 'milk', done: false }], filter: 'all' }, [
      [{ op: 'replace', path: '/todos/0/done', value: true }],
      [{ op: 'replace', path: '/filter', value: 'done' }],
    ])
    const { container } = render(<PatchDevtools connection={connectDirect(fake.port)} inline />)
    const ui = panel(container)
    fireEvent.click(ui.getByRole('option', { name: /^#1 / }))
    fireEvent.click(ui.getByRole('tab', { name: 'Diff' }))
    const row = ui.getByRole('rowheader', { name: '/todos/0/done' }).closest('tr')!
    expect([...row.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['false', 'true'])
    fireEvent.click(ui.getByRole('tab', { name: 'State' }))
    // At #1 the filter was still 'all': the document is the one at the revision, not the head.
    expect(ui.getByRole('treeitem', { name: '/filter' }).textContent).toMatch(/"all"/)
    expect(ui.getByRole('treeitem', { name: '/todos/0/done' }).className).toMatch(/changed/)
    expect(ui.getByRole('treeitem', { name: '/filter' }).className).not.toMatch(/changed/)
    fireEvent.change(ui.getByRole('searchbox', { name: 'Search the state' }), { target: { value: 'milk' } })
    expect(ui.getByRole('treeitem', { name: '/todos/0/title' }).className).toMatch(/match/)
    fireEvent.click(ui.getByRole('button', { name: 'Copy pointer /todos/0/title' }))
    expect(ui.getByText('Copied pointer /todos/0/title')).toBeTruthy()
  })

  it('a large array in the State tab renders a page of rows, not all of them', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ id: i }))
    const fake = fakeInspector({ rows }, [[{ op: 'replace', path: '/rows/5/id', value: -5 }]])
    const { container } = render(<PatchDevtools connection={connectDirect(fake.port)} inline />)
    const ui = panel(container)
    fireEvent.click(ui.getByRole('tab', { name: 'State' }))
    expect(ui.getAllByRole('treeitem').length).toBeLessThan(400)
    expect(ui.getByRole('button', { name: /Show more \(99900 hidden\)/ })).toBeTruthy()
  })

  it('the Watchers tab shows the render attribution an entry carries, and says when there is none', () => {
    const fake = fakeInspector({ a: 0 }, [[{ op: 'replace', path: '/a', value: 1 }], [{ op: 'replace', path: '/a', value: 2 }]])
    const { container } = render(<PatchDevtools connection={connectDirect(fake.port)} inline />)
    const ui = panel(container)
    act(() => fake.push({ type: 'entry', entry: { ...fake.entries[1]!, calls: { watchers: 3, ms: 0.25, pointers: [{ pointer: '/a', calls: 2 }, { pointer: '', calls: 1 }] } } }))
    fireEvent.click(ui.getByRole('tab', { name: 'Watchers' }))
    expect(ui.getByRole('tabpanel').textContent).toMatch(/3 watchers in 0\.25 ms/)
    expect(within(ui.getAllByRole('table')[0]!).getByRole('rowheader', { name: '/a' }).nextElementSibling!.textContent).toBe('2')
    fireEvent.click(ui.getByRole('option', { name: /^#1 / }))
    expect(ui.getByRole('tabpanel').textContent).toMatch(/No attribution for this revision/)
  })

  it('the Watchers tab names the components that labelled their hooks, with a count when several share a label', () => {
    const fake = fakeInspector({ a: 0 }, [[{ op: 'replace', path: '/a', value: 1 }]])
    const { container } = render(<PatchDevtools connection={connectDirect(fake.port)} inline />)
    const ui = panel(container)
    const labels = [
      { label: 'TodoRow', calls: 2 },
      { label: 'Header', calls: 1 },
    ]
    act(() => fake.push({ type: 'entry', entry: { ...fake.entries[0]!, calls: { watchers: 3, ms: 0.1, pointers: [{ pointer: '/a', calls: 3, labels }] } } }))
    fireEvent.click(ui.getByRole('tab', { name: 'Watchers' }))
    const row = within(ui.getAllByRole('table')[0]!).getByRole('rowheader', { name: '/a' }).parentElement!
    expect(row.textContent).toBe('/a3TodoRow ×2, Header')
  })

  it('a new entry appends to the list while live', () => {
    const fake = fakeInspector({ a: 0 }, [[{ op: 'replace', path: '/a', value: 1 }]])
    const { container } = render(<PatchDevtools connection={connectDirect(fake.port)} inline />)
    const ui = panel(container)
    act(() => fake.push({ type: 'entry', entry: { id: 2, patch: [{ op: 'replace', path: '/a', value: 2 }], inverse: [{ op: 'replace', path: '/a', value: 1 }], time: 0, origin: 'local', skipped: false, label: 'bump' } }))
    expect(optionTexts(ui)).toEqual([expect.stringMatching(/^#1 /), expect.stringMatching(/^#2 bump/)])
    expect(ui.getByRole('option', { selected: true }).textContent).toMatch(/^#2 /)
  })

  it("store={store} attaches an inspector while the panel is mounted; inspector={...} stays the caller's; a row shows the label, else a summary of the patch", () => {
    const store = createStore<JsonValue>({ value: { a: 0, list: [] } })
    const mounted = render(<PatchDevtools store={store} inline />)
    act(() => void store.set('/a', 1, { label: 'bump' }))
    act(() => void store.apply([{ op: 'add', path: '/list/-', value: 1 }, { op: 'add', path: '/list/-', value: 2 }]))
    expect(optionTexts(panel(mounted.container))).toEqual([expect.stringMatching(/^#1 bump/), expect.stringMatching(/^#2 2 ops under \/list/)])
    mounted.unmount()
    // The panel closed its inspector on unmount: the store takes another (one at a time).
    const inspector = createInspector(store)
    store.set('/a', 2)
    const again = render(<PatchDevtools inspector={inspector} inline />)
    expect(optionTexts(panel(again.container))).toEqual([expect.stringMatching(/^#3 replace \/a/)])
    again.unmount()
    store.set('/a', 3)
    expect(inspector.entries().map((e) => e.id)).toEqual([3, 4]) // still recording: it is the caller's
    inspector.close()
  })

  it('importing a file that is not an exported log is refused with a message, and nothing is sent', async () => {
    const fake = fakeInspector({ a: 0 }, [])
    const { container } = render(<PatchDevtools connection={connectDirect(fake.port)} inline />)
    const ui = panel(container)
    const input = ui.getByLabelText('Import file') as HTMLInputElement
    const file = new File(['{"format":"patchdb-log","version":2}'], 'bad.json', { type: 'application/json' })
    await act(async () => {
      fireEvent.change(input, { target: { files: [file] } })
      await new Promise((r) => setTimeout(r, 10))
    })
    expect(ui.getByRole('alert').textContent).toMatch(/Import refused: .*version/)
    expect(fake.sent.filter((m) => m.type === 'import')).toEqual([])
  })

  it('the floating button opens and closes the docked panel', () => {
    const fake = fakeInspector({ a: 0 }, [])
    const { container } = render(<PatchDevtools connection={connectDirect(fake.port)} />)
    const root = container.querySelector('[data-patchdb-devtools]')!.shadowRoot!
    const button = within(root as unknown as HTMLElement).getByRole('button', { name: 'patchdb devtools' })
    expect(root.querySelector('section')).toBeNull()
    fireEvent.click(button)
    expect(root.querySelector('section')!.getAttribute('aria-label')).toBe('patchdb devtools')
    expect(button.getAttribute('aria-expanded')).toBe('true')
    const grip = within(root.querySelector('section')!).getByRole('separator', { name: 'Resize devtools' })
    fireEvent.keyDown(grip, { key: 'ArrowUp' })
    expect(grip.getAttribute('aria-valuenow')).toBe('340')
    fireEvent.click(button)
    expect(root.querySelector('section')).toBeNull()
  })

  it('a forged feed (a patch that does not apply, a huge label, a deep document) renders, and the bad entry is passed over', () => {
    let deep: JsonValue = 0
    for (let i = 0; i < 200; i++) deep = { d: deep }
    const entry = (id: number, patch: Patch, label?: string): EntryMessage => ({ id, patch, inverse: [], time: 0, origin: 'local', skipped: false, ...(label ? { label } : {}) })
    const connection: PanelConnection = {
      send(m) {
        if (m.type !== 'connect') return
        listener?.({
          type: 'hello',
          version: 1,
          name: 'forged',
          base: { id: 0, value: { a: 1, deep } },
          limit: 10,
          entries: [entry(1, [{ op: 'remove', path: '/missing' }], 'x'.repeat(100_000)), entry(2, [{ op: 'replace', path: '/a', value: 2 }])],
          status: { head: 2, viewing: null, paused: false },
        })
      },
      subscribe(fn) {
        listener = fn
        return () => (listener = undefined)
      },
      close() {},
    }
    let listener: ((m: InspectorMessage) => void) | undefined
    const { container } = render(<PatchDevtools connection={connection} inline />)
    const ui = panel(container)
    expect(optionTexts(ui)).toEqual([expect.stringMatching(/^#1 x{100}/), expect.stringMatching(/^#2 /)])
    fireEvent.click(ui.getByRole('tab', { name: 'Diff' }))
    const row = ui.getByRole('rowheader', { name: '/a' }).closest('tr')!
    expect([...row.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['1', '2'])
    fireEvent.click(ui.getByRole('tab', { name: 'State' }))
    expect(ui.getByRole('treeitem', { name: '/deep' }).getAttribute('aria-expanded')).toBe('false') // not walked until opened
    fireEvent.click(ui.getByRole('option', { name: /^#1 / }))
    expect(ui.getByRole('treeitem', { name: '/a' }).textContent).toMatch(/^a1/) // #1 did not apply: the base, unchanged
  })

  it("the panel's renders never re-render the app that hosts it", () => {
    const fake = fakeInspector({ a: { x: 1 } }, [[{ op: 'replace', path: '/a/x', value: 2 }], [{ op: 'replace', path: '/a/x', value: 3 }]])
    const connection = connectDirect(fake.port)
    let appRenders = 0
    function App() {
      appRenders++
      return (
        <main>
          <PatchDevtools connection={connection} defaultOpen />
        </main>
      )
    }
    const { container } = render(<App />)
    const ui = panel(container)
    fireEvent.click(ui.getByRole('option', { name: /^#1 / }))
    for (const name of ['Diff', 'State', 'Watchers', 'Patch']) fireEvent.click(ui.getByRole('tab', { name }))
    fireEvent.change(ui.getByRole('textbox', { name: 'Filter by pointer' }), { target: { value: '/a' } })
    fireEvent.keyDown(ui.getByRole('listbox', { name: 'Revisions' }), { key: 'ArrowDown' })
    fireEvent.keyDown(ui.getByRole('separator', { name: 'Resize devtools' }), { key: 'ArrowUp' })
    act(() => fake.push({ type: 'entry', entry: { id: 3, patch: [], inverse: [], time: 0, origin: 'local', skipped: false } }))
    fireEvent.click(ui.getByRole('button', { name: 'Pause recording' }))
    expect(ui.getByRole('option', { selected: true }).textContent).toMatch(/^#2 /) // the panel did render
    expect(appRenders).toBe(1)
  })

  it('styles live in the shadow root: none are added to the document', () => {
    const fake = fakeInspector({ a: 0 }, [])
    const before = document.querySelectorAll('style, link[rel=stylesheet]').length
    const { container } = render(<PatchDevtools connection={connectDirect(fake.port)} inline />)
    expect(document.querySelectorAll('style, link[rel=stylesheet]').length).toBe(before)
    expect(container.querySelector('[data-patchdb-devtools]')!.shadowRoot!.querySelector('style')!.textContent).toMatch(/:host \{ all: initial; display: block; \}/)
  })

  it('in a production build the panel renders nothing unless opted in with `production`', () => {
    vi.stubEnv('NODE_ENV', 'production')
    const fake = fakeInspector({ a: 0 }, [])
    const off = render(<PatchDevtools connection={connectDirect(fake.port)} inline />)
    expect(off.container.innerHTML).toBe('')
    expect(fake.sent).toEqual([])
    const on = render(<PatchDevtools connection={connectDirect(fake.port)} inline production />)
    expect(panel(on.container).getByRole('listbox', { name: 'Revisions' })).toBeTruthy()
  })
})
