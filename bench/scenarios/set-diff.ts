import jsonpatch from 'fast-json-patch'
import { produceWithPatches } from 'immer'
import { createStore } from 'patchdb'
import { timingTable } from '../format'
import { timeAlternately, timingOptions, type Contender } from '../measure'
import { configureImmer } from '../peers'
import type { Scenario } from '../types'

type Settings = Record<string, number>
interface SettingsDoc {
  settings: Settings
}

/** Two versions of a `keys`-key object that differ in `changed` keys. */
function versions(keys: number, changed: number): [Settings, Settings] {
  const a: Settings = {}
  const b: Settings = {}
  const every = Math.floor(keys / changed)
  for (let i = 0; i < keys; i++) {
    a[`key${i}`] = i
    b[`key${i}`] = i % every === 0 ? -i - 1 : i
  }
  return [a, b]
}

/**
 * Each contender is handed the next version of the object, as a server or a form would
 * hand it, and must produce the new state and a patch of only the keys that changed.
 */
function contenders(keys: number, changed: number): Contender[] {
  const [a, b] = versions(keys, changed)
  const make = (name: string, build: () => { write(next: Settings): number; current(): Settings }): Contender => {
    const c = build()
    let runs = 0
    let lastOps = 0
    return {
      name,
      run: () => void (lastOps = c.write(++runs % 2 ? b : a)),
      check() {
        const want = runs % 2 ? b : a
        if (runs === 0) throw new Error(`${name}: no work was done`)
        if (lastOps !== changed) throw new Error(`${name}: a patch of ${lastOps} operations, expected ${changed}`)
        const cur = c.current()
        for (const k of Object.keys(want)) if (cur[k] !== want[k]) throw new Error(`${name}: ${k} is ${cur[k]}, expected ${want[k]}`)
        if (Object.keys(cur).length !== keys) throw new Error(`${name}: ${Object.keys(cur).length} keys, expected ${keys}`)
      },
    }
  }
  return [
    make('patchdb set', () => {
      const store = createStore<SettingsDoc>({ value: { settings: a } })
      return { write: (next) => store.set('/settings', next)?.patch.length ?? 0, current: () => store.get().settings }
    }),
    make('Immer produceWithPatches', () => {
      let doc: SettingsDoc = { settings: { ...a } }
      return {
        write(next) {
          const [state, patches] = produceWithPatches(doc, (d) => {
            for (const k of Object.keys(next)) d.settings[k] = next[k]!
          })
          doc = state
          return patches.length
        },
        current: () => doc.settings,
      }
    }),
    make('fast-json-patch compare + apply in place', () => {
      const doc: SettingsDoc = { settings: { ...a } }
      return {
        write(next) {
          const patch = jsonpatch.compare(doc.settings, next)
          jsonpatch.applyPatch(doc.settings, patch, false, true)
          return patch.length
        },
        current: () => doc.settings,
      }
    }),
  ]
}

export const setDiff: Scenario = {
  id: 4,
  title: '`set` with a diff of a 1,000-key object',
  async run({ quick }) {
    configureImmer()
    const keys = quick ? 200 : 1_000
    const changed = 10
    const list = contenders(keys, changed)
    const timings = await timeAlternately(list, timingOptions(quick))
    return {
      id: 4,
      title: this.title,
      status: 'done',
      note: `a new version of a ${keys.toLocaleString('en')}-key object with ${changed} changed values; each run yields the state and a ${changed}-operation patch`,
      tables: [timingTable(`${keys} keys, ${changed} changed`, timings, 'patchdb set')],
      checked: list.map((c) => c.name),
      targets: [],
    }
  },
}
