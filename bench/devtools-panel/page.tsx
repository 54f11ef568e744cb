import { createRoot } from 'react-dom/client'
import { createStore } from 'patchdb'
import { createInspector, PatchDevtools } from 'patchdb/devtools'

/*
 * The bench's devtools page: `revisions` recorded revisions on a `rows`-row document (sizes
 * from the query string), the panel inline, and window.panelBench to time it from inside the
 * page (a Playwright round trip per sample would drown the figures). Revision i replaces
 * /rows/((i * 7919) % rows)/v with i, so each revision's effect can be checked.
 */
const query = new URLSearchParams(location.search)
const ROWS = Number(query.get('rows'))
const REVISIONS = Number(query.get('revisions'))
const ROW_HEIGHT = 24 // RevisionList's
const rowOf = (id: number) => (id * 7919) % ROWS

const store = createStore({ value: { rows: Array.from({ length: ROWS }, (_, i) => ({ id: i, v: 0 })) } }, { history: 10, freeze: false })
const inspector = createInspector(store, { name: 'bench', limit: REVISIONS })
for (let i = 1; i <= REVISIONS; i++) store.apply([{ op: 'replace', path: `/rows/${rowOf(i)}/v`, value: i }])
const root = document.createElement('div')
document.body.append(root)
createRoot(root).render(<PatchDevtools inspector={inspector} inline height="100vh" production />)

const shadow = () => document.querySelector('[data-patchdb-devtools]')!.shadowRoot!
const list = () => shadow().querySelector<HTMLElement>('[role=listbox]')!
/** To the first task after the next animation frame: the frame that shows the change has been produced. */
const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
const fail = (what: string) => {
  throw new Error(`devtools panel bench: ${what}`)
}

let frames: number[] = []
let recording = false
const record = (t: number) => {
  frames.push(t)
  if (recording) requestAnimationFrame(record)
}

const panelBench = {
  ready: () => !!document.querySelector('[data-patchdb-devtools]')?.shadowRoot?.querySelector('[role=option]'),
  /** Shows the State tab (once, before timing). */
  async showState() {
    shadow().querySelector<HTMLElement>('#pd-tab-State')!.click()
    await nextFrame()
  },
  /** Scrolls revision `id` into view untimed, then times a click on it (selection, State tab rebuilt) to the next frame; checks the tab shows its value. */
  async select(id: number): Promise<number> {
    const box = list()
    box.scrollTop = Math.max(0, (id - 1) * ROW_HEIGHT - 100)
    box.dispatchEvent(new Event('scroll'))
    await nextFrame()
    const option = shadow().getElementById(`pd-rev-${id}`) ?? fail(`option #${id} not rendered after scrolling to it`)
    const t0 = performance.now()
    option.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }))
    await nextFrame()
    const ms = performance.now() - t0
    const shown = shadow().querySelector(`[role=treeitem][aria-label="/rows/${rowOf(id)}/v"] .value`)?.textContent
    if (shown !== String(id)) fail(`State tab of #${id} shows ${shown} at /rows/${rowOf(id)}/v, expected ${id}`)
    return ms
  },
  /** Times Enter on the list (jump to the selected revision) to the next frame; checks the store shows it. */
  async jump(id: number): Promise<number> {
    const t0 = performance.now()
    list().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }))
    await nextFrame()
    const ms = performance.now() - t0
    if (store.get(`/rows/${rowOf(id)}/v` as any) !== id) fail(`after jumping to #${id} the store shows ${store.get(`/rows/${rowOf(id)}/v` as any)}`)
    if (inspector.status().viewing !== id) fail(`the inspector shows ${inspector.status().viewing}, expected ${id}`)
    return ms
  },
  /** What Redux DevTools' approach would pay per action: one whole state serialized (median of 5, ms) and its size; and what this log costs per revision, exported. */
  serialization() {
    const times: number[] = []
    let bytes = 0
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now()
      bytes = JSON.stringify(store.get()).length
      times.push(performance.now() - t0)
    }
    times.sort((a, b) => a - b)
    return { stateMs: times[2]!, stateBytes: bytes, logBytesPerRevision: JSON.stringify(inspector.export()).length / REVISIONS }
  },
  async top() {
    list().scrollTop = 0
    await nextFrame()
  },
  startFrames() {
    frames = []
    recording = true
    requestAnimationFrame(record)
  },
  /** Stops recording; the frame intervals, where the list got to and the ids rendered there. */
  stopFrames() {
    recording = false
    const intervals = frames.slice(1).map((t, i) => t - frames[i]!)
    const ids = [...shadow().querySelectorAll('[role=option]')].map((o) => Number(/^#(\d+)/.exec(o.textContent!)![1]))
    return { intervals, scrollTop: list().scrollTop, ids }
  },
}
Object.assign(globalThis, { panelBench })
