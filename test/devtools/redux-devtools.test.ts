import { afterEach, describe, expect, it, vi } from 'vitest'
import fc from 'fast-check'
import { applyPatch, createStore, type JsonValue } from 'patchdb'
import { connectReduxDevtools, createInspector, REDUX_DEVTOOLS_FEATURES } from 'patchdb/devtools'
import { fakeReduxDevtools, type MonitorModel } from './support/fake-redux-devtools'
import { errorCode } from '../support/error-code'

afterEach(() => void vi.unstubAllGlobals())

function setup(limit?: number) {
  const store = createStore<JsonValue>({ value: { n: 0, todos: [] } })
  const devtools = fakeReduxDevtools()
  const stop = connectReduxDevtools(store, { name: 'app', connect: devtools.connect, ...(limit === undefined ? {} : { limit }) })
  return { store, devtools, stop }
}

/** The documents a monitor's history stands for, replayed from its committed state and its actions' patches (skipped ones left out). */
function replayed(m: MonitorModel): unknown[] {
  let doc = m.committedState ?? m.computedStates[0]!.state
  return m.stagedActionIds.map((id, i) => {
    if (i > 0 && !m.skippedActionIds.includes(id)) doc = applyPatch(doc, m.actionsById[id]!.action.patch as never).value
    return doc
  })
}

describe('connecting', () => {
  it('without the extension nothing is attached and stop does nothing', () => {
    const store = createStore<JsonValue>({ value: { n: 0 } })
    const stop = connectReduxDevtools(store, { name: 'app' })
    store.set('/n', 1)
    // The store's one probe is free: no inspector was attached.
    const inspector = createInspector(store)
    stop()
    store.set('/n', 2)
    expect(inspector.entries().map((e) => e.id)).toEqual([2])
  })

  it('uses window.__REDUX_DEVTOOLS_EXTENSION__.connect by default, declaring the features it handles and the monitor’s maxAge', () => {
    const devtools = fakeReduxDevtools()
    const extension = { connect: vi.fn(function (this: unknown, o: Parameters<typeof devtools.connect>[0]) {
      expect(this).toBe(extension)
      return devtools.connect(o)
    }) }
    vi.stubGlobal('__REDUX_DEVTOOLS_EXTENSION__', extension)
    const store = createStore<JsonValue>({ value: { n: 0 } })
    connectReduxDevtools(store, { name: 'app', limit: 10 })
    expect(devtools.options).toEqual([{ name: 'app', features: REDUX_DEVTOOLS_FEATURES, maxAge: 11 }])
    expect(REDUX_DEVTOOLS_FEATURES).toMatchObject({ jump: true, skip: true, reorder: true, pause: true, lock: true, import: 'custom', export: true, dispatch: false })
    expect(devtools.monitor.computedStates).toEqual([{ state: { n: 0 } }])
    store.set('/n', 1)
    expect(devtools.actions.map((a) => a.action.type)).toEqual(['replace /n'])
  })

  it('a connect() that returns no connection is a clear error, and the store stays free', () => {
    const store = createStore<JsonValue>({ value: {} })
    expect(errorCode(() => connectReduxDevtools(store, { connect: (() => ({ send() {} })) as never }))).toBe('ARGUMENT_INVALID')
    expect(() => createInspector(store)).not.toThrow()
  })
})

describe('revisions as actions', () => {
  it('each revision is sent once as an action typed by its label or its patch summary, the patch in it, its document as state', () => {
    const { store, devtools } = setup()
    store.watch('/n', () => {}) // render attribution announces the entry a second time: still one action
    store.apply([{ op: 'add', path: '/todos/-', value: 'milk' }], { label: 'add todo' })
    store.set('/n', 1)
    store.transact((tx) => {
      tx.set('/n', 2)
      tx.apply([{ op: 'add', path: '/todos/-', value: 'eggs' }])
    })
    expect(devtools.actions).toEqual([
      { action: { type: 'add todo', revision: 1, origin: 'local', patch: [{ op: 'add', path: '/todos/-', value: 'milk' }] }, state: { n: 0, todos: ['milk'] } },
      { action: { type: 'replace /n', revision: 2, origin: 'local', patch: [{ op: 'replace', path: '/n', value: 1 }] }, state: { n: 1, todos: ['milk'] } },
      { action: expect.objectContaining({ type: '2 ops under /', revision: 3 }), state: { n: 2, todos: ['milk', 'eggs'] } },
    ])
    expect(devtools.monitor.stagedActionIds).toEqual([0, 1, 2, 3])
    expect(devtools.histories).toEqual([])
  })

  it('a watcher’s write arrives after the revision that caused it, each action with the document after it', () => {
    const { store, devtools } = setup()
    store.watch('/n', (n) => {
      if (n === 1) store.set('/todos', ['caused by n'])
    })
    store.set('/n', 1)
    expect(devtools.actions.map((a) => [a.action.revision, a.state])).toEqual([
      [1, { n: 1, todos: [] }],
      [2, { n: 1, todos: ['caused by n'] }],
    ])
  })

  it('server updates are actions too, with their origin', () => {
    const { store, devtools } = setup()
    store.update({ id: 1, patch: [{ op: 'replace', path: '/n', value: 7 }] })
    expect(devtools.actions[0]!.action).toMatchObject({ revision: 1, origin: 'server' })
  })
})

describe('monitor commands', () => {
  it('JUMP_TO_ACTION shows the document at that action and refuses writes; jumping to the last one is live again', () => {
    const { store, devtools } = setup()
    store.set('/n', 1)
    store.set('/n', 2)
    devtools.dispatch({ type: 'JUMP_TO_ACTION', actionId: devtools.actionAt(1) })
    expect(store.get()).toEqual({ n: 1, todos: [] })
    expect(errorCode(() => store.set('/n', 9))).toBe('TIME_TRAVEL')
    expect(devtools.histories).toEqual([]) // the monitor moved on its own: nothing is resent
    devtools.dispatch({ type: 'JUMP_TO_ACTION', actionId: devtools.actionAt(2) })
    expect(store.get()).toEqual({ n: 2, todos: [] })
    expect(errorCode(() => store.set('/n', 3))).toBe('no error')
    expect(devtools.errors).toEqual([])
  })

  it('a jump to an earlier state whose document equals the head still travels, as the monitor does not follow new actions from there', () => {
    const { store, devtools } = setup()
    store.set('/n', 1)
    devtools.dispatch({ type: 'TOGGLE_ACTION', id: devtools.actionAt(1) })
    devtools.dispatch({ type: 'JUMP_TO_STATE', index: 0 }) // the same document as the head (its only action is skipped)
    expect(errorCode(() => store.set('/n', 2))).toBe('TIME_TRAVEL')
    expect(devtools.shown()).toEqual(store.get())
  })

  it('JUMP_TO_STATE goes by the monitor’s index, 0 being the state at connection', () => {
    const { store, devtools } = setup()
    store.set('/n', 1)
    store.set('/n', 2)
    devtools.dispatch({ type: 'JUMP_TO_STATE', index: 0 })
    expect(store.get('/n')).toBe(0)
    devtools.dispatch({ type: 'JUMP_TO_STATE', index: 1 })
    expect(store.get('/n')).toBe(1)
    expect(devtools.shown()).toEqual(store.get())
  })

  it('TOGGLE_ACTION skips an action by replay (one new revision) and the monitor gets the new history; toggling again restores it', () => {
    const { store, devtools } = setup()
    store.apply([{ op: 'add', path: '/todos/-', value: 'a' }], { label: 'add a' })
    store.apply([{ op: 'add', path: '/todos/-', value: 'b' }], { label: 'add b' })
    store.set('/n', 5)
    const a = devtools.idOf('add a')
    devtools.dispatch({ type: 'TOGGLE_ACTION', id: a })
    expect(store.get()).toEqual({ n: 5, todos: ['b'] })
    expect(store.revision).toBe(4)
    expect(store.log().at(-1)!.label).toBe('devtools: skip #1')
    const m = devtools.monitor
    expect(m.skippedActionIds).toEqual([a])
    expect(m.stagedActionIds).toEqual([0, 1, 2, 3]) // the ids the monitor knew are kept
    expect(m.computedStates.map((s) => s.state)).toEqual([{ n: 0, todos: [] }, { n: 0, todos: [] }, { n: 0, todos: ['b'] }, { n: 5, todos: ['b'] }])
    expect(devtools.shown()).toEqual(store.get())
    devtools.dispatch({ type: 'TOGGLE_ACTION', id: a })
    expect(store.get()).toEqual({ n: 5, todos: ['a', 'b'] })
    expect(devtools.monitor.skippedActionIds).toEqual([])
  })

  it('an action that no longer applies after a skip is marked with its error in the monitor, as Redux marks a computed state', () => {
    const { store, devtools } = setup()
    store.apply([{ op: 'add', path: '/todos/-', value: 'a' }], { label: 'add a' })
    store.apply([{ op: 'remove', path: '/todos/0' }], { label: 'remove a' })
    store.set('/n', 1)
    devtools.dispatch({ type: 'TOGGLE_ACTION', id: devtools.idOf('add a') })
    expect(store.get()).toEqual({ n: 1, todos: [] })
    expect(devtools.monitor.computedStates[2]!.error).toMatch(/todos/)
  })

  it('REORDER_ACTION moves an action before another, to the end past the last id, to the start before the first', () => {
    const { store, devtools } = setup()
    store.apply([{ op: 'add', path: '/todos/-', value: 'a' }], { label: 'a' })
    store.apply([{ op: 'add', path: '/todos/-', value: 'b' }], { label: 'b' })
    store.apply([{ op: 'add', path: '/todos/-', value: 'c' }], { label: 'c' })
    const [a, b, c] = ['a', 'b', 'c'].map(devtools.idOf)
    devtools.dispatch({ type: 'REORDER_ACTION', actionId: c, beforeActionId: a })
    expect(store.get('/todos')).toEqual(['c', 'a', 'b'])
    expect(devtools.monitor.stagedActionIds).toEqual([0, c, a, b])
    devtools.dispatch({ type: 'REORDER_ACTION', actionId: c, beforeActionId: 99 })
    expect(store.get('/todos')).toEqual(['a', 'b', 'c'])
    devtools.dispatch({ type: 'REORDER_ACTION', actionId: b, beforeActionId: 0 })
    expect(store.get('/todos')).toEqual(['b', 'a', 'c'])
    expect(devtools.shown()).toEqual(store.get())
  })

  it('COMMIT makes the head the monitor’s committed state with no actions; ROLLBACK returns to it', () => {
    const { store, devtools } = setup()
    store.set('/n', 1)
    devtools.dispatch({ type: 'COMMIT' })
    expect(devtools.monitor).toMatchObject({ stagedActionIds: [0], committedState: { n: 1, todos: [] }, currentStateIndex: 0 })
    store.set('/n', 2)
    store.set('/n', 3)
    devtools.dispatch({ type: 'ROLLBACK', timestamp: 1 })
    expect(store.get('/n')).toBe(1)
    expect(devtools.monitor.stagedActionIds).toEqual([0])
    expect(devtools.shown()).toEqual({ n: 1, todos: [] })
  })

  it('RESET returns to the document at connection, also after a commit', () => {
    const { store, devtools } = setup()
    store.set('/n', 1)
    devtools.dispatch({ type: 'COMMIT' })
    store.set('/n', 2)
    devtools.dispatch({ type: 'RESET' })
    expect(store.get()).toEqual({ n: 0, todos: [] })
    expect(devtools.monitor).toMatchObject({ stagedActionIds: [0], committedState: { n: 0, todos: [] } })
    store.set('/n', 4)
    expect(devtools.actions.at(-1)!.state).toEqual({ n: 4, todos: [] })
  })

  it('SWEEP forgets skipped actions without changing the document or writing a revision', () => {
    const { store, devtools } = setup()
    store.set('/n', 1)
    store.apply([{ op: 'add', path: '/todos/-', value: 'a' }], { label: 'a' })
    devtools.dispatch({ type: 'TOGGLE_ACTION', id: devtools.idOf('replace /n') })
    const revision = store.revision
    devtools.dispatch({ type: 'SWEEP' })
    expect(store.revision).toBe(revision)
    expect(store.get()).toEqual({ n: 0, todos: ['a'] })
    const m = devtools.monitor
    // The skip's own revision is devtools' write, not an entry: only 'a' is left.
    expect(m.stagedActionIds.map((id) => m.actionsById[id]!.action.type)).toEqual(['@@INIT', 'a'])
    expect(m.skippedActionIds).toEqual([])
  })

  it('IMPORT_STATE of a history the monitor exported replays it into another store: the same document at every state', () => {
    const { store, devtools } = setup()
    store.apply([{ op: 'add', path: '/todos/-', value: 'a' }], { label: 'add a' })
    store.set('/n', 1)
    store.apply([{ op: 'add', path: '/todos/-', value: 'b' }], { label: 'add b' })
    devtools.dispatch({ type: 'TOGGLE_ACTION', id: devtools.idOf('replace /n') })
    const exported = devtools.monitor // what the monitor's Export button saves

    const other = setup()
    other.store.set('/n', 42)
    other.devtools.dispatch({ type: 'IMPORT_STATE', nextLiftedState: exported })
    expect(other.store.get()).toEqual(store.get())
    const m = other.devtools.monitor
    expect(m.computedStates.map((s) => s.state)).toEqual(exported.computedStates.map((s) => s.state))
    expect(m.stagedActionIds.map((id) => m.actionsById[id]!.action.type)).toEqual(exported.stagedActionIds.map((id) => exported.actionsById[id]!.action.type))
    expect(m.skippedActionIds.map((id) => m.actionsById[id]!.action.type)).toEqual(['replace /n'])
  })

  it('IMPORT_STATE of a history with no committedState (none was sent yet) replays from its first computed state', () => {
    const { store, devtools } = setup()
    devtools.dispatch({
      type: 'IMPORT_STATE',
      nextLiftedState: {
        stagedActionIds: [0, 1],
        actionsById: { 0: { action: { type: '@@INIT' } }, 1: { action: { type: 'add x', patch: [{ op: 'add', path: '/x', value: 1 }] } } },
        computedStates: [{ state: { n: 3 } }, { state: { n: 3, x: 1 } }],
      },
    })
    expect(store.get()).toEqual({ n: 3, x: 1 })
  })

  it('IMPORT_STATE of an array of actions replays them from its preloadedState', () => {
    const { store, devtools } = setup()
    devtools.dispatch({
      type: 'IMPORT_STATE',
      nextLiftedState: [
        { type: 'add x', patch: [{ op: 'add', path: '/x', value: 1 }] },
        { type: 'bump x', patch: [{ op: 'replace', path: '/x', value: 2 }] },
      ],
      preloadedState: { n: 10 },
    })
    expect(store.get()).toEqual({ n: 10, x: 2 })
    expect(devtools.monitor.computedStates.map((s) => s.state)).toEqual([{ n: 10 }, { n: 10, x: 1 }, { n: 10, x: 2 }])
  })

  it('PAUSE_RECORDING stops sending actions; resuming sends the history with what changed meanwhile as one entry', () => {
    const { store, devtools } = setup()
    store.set('/n', 1)
    devtools.dispatch({ type: 'PAUSE_RECORDING', status: true })
    expect(devtools.monitor.isPaused).toBe(true)
    store.set('/n', 2)
    store.set('/n', 3)
    expect(devtools.actions).toHaveLength(1)
    devtools.dispatch({ type: 'PAUSE_RECORDING', status: false })
    const m = devtools.monitor
    expect(m.isPaused).toBe(false)
    expect(m.stagedActionIds.map((id) => m.actionsById[id]!.action.type)).toEqual(['@@INIT', 'replace /n', 'unrecorded (recording paused)'])
    expect(devtools.shown()).toEqual({ n: 3, todos: [] })
    store.set('/n', 4)
    expect(devtools.actions).toHaveLength(2)
  })

  it('LOCK_CHANGES refuses the app’s writes and holds server updates until unlocked', () => {
    const { store, devtools } = setup()
    store.set('/n', 1)
    devtools.dispatch({ type: 'LOCK_CHANGES', status: true })
    expect(devtools.monitor.isLocked).toBe(true)
    expect(errorCode(() => store.set('/n', 2))).toBe('TIME_TRAVEL')
    expect(store.update({ id: 2, patch: [{ op: 'replace', path: '/n', value: 20 }] }).status).toBe('applied')
    expect(store.get('/n')).toBe(1) // the locked document is shown
    // Jumping to the last state while locked keeps the lock.
    devtools.dispatch({ type: 'JUMP_TO_STATE', index: devtools.monitor.stagedActionIds.length - 1 })
    expect(errorCode(() => store.set('/n', 2))).toBe('TIME_TRAVEL')
    devtools.dispatch({ type: 'LOCK_CHANGES', status: false })
    expect(devtools.monitor.isLocked).toBe(false)
    expect(store.get('/n')).toBe(20)
    expect(errorCode(() => store.set('/n', 21))).toBe('no error')
  })

  it('a lock survives commit, revert, reset and import: writes stay refused until unlocked', () => {
    const { store, devtools } = setup()
    store.set('/n', 1)
    devtools.dispatch({ type: 'LOCK_CHANGES', status: true })
    for (const payload of [{ type: 'COMMIT' }, { type: 'ROLLBACK' }, { type: 'RESET' }, { type: 'IMPORT_STATE', nextLiftedState: [{ type: 'x', patch: [{ op: 'add', path: '/x', value: 1 }] }], preloadedState: { n: 5 } }]) {
      devtools.dispatch(payload)
      expect([payload.type, errorCode(() => store.set('/n', 9))]).toEqual([payload.type, 'TIME_TRAVEL'])
      expect(devtools.monitor.isLocked).toBe(true)
    }
    expect(store.get()).toEqual({ n: 5, x: 1 })
    devtools.dispatch({ type: 'LOCK_CHANGES', status: false })
    expect(errorCode(() => store.set('/n', 9))).toBe('no error')
    expect(devtools.errors).toEqual([])
  })

  it('an import while travelling goes live at the imported history’s last state', () => {
    const { store, devtools } = setup()
    store.set('/n', 1)
    devtools.dispatch({ type: 'JUMP_TO_STATE', index: 0 })
    devtools.dispatch({ type: 'IMPORT_STATE', nextLiftedState: [{ type: 'x', patch: [{ op: 'add', path: '/x', value: 1 }] }], preloadedState: { n: 5 } })
    expect(store.get()).toEqual({ n: 5, x: 1 })
    expect(errorCode(() => store.set('/n', 6))).toBe('no error')
    expect(devtools.shown()).toEqual({ n: 6, x: 1 })
  })

  it('unlocking after travelling to an older state keeps showing it', () => {
    const { store, devtools } = setup()
    store.set('/n', 1)
    store.set('/n', 2)
    devtools.dispatch({ type: 'LOCK_CHANGES', status: true })
    devtools.dispatch({ type: 'JUMP_TO_STATE', index: 1 })
    devtools.dispatch({ type: 'LOCK_CHANGES', status: false })
    expect(store.get('/n')).toBe(1)
    expect(errorCode(() => store.set('/n', 3))).toBe('TIME_TRAVEL')
  })

  it('START (a monitor opened) gets the whole history', () => {
    const { store, devtools } = setup()
    store.set('/n', 1)
    devtools.post({ type: 'START' })
    expect(devtools.histories).toHaveLength(1)
    expect(devtools.histories[0]!.computedStates.map((s) => s.state)).toEqual([{ n: 0, todos: [] }, { n: 1, todos: [] }])
  })
})

describe('the monitor is untrusted', () => {
  const hostile: [string, Record<string, unknown>][] = [
    ['an unknown action id', { type: 'JUMP_TO_ACTION', actionId: 999 }],
    ['a negative id', { type: 'TOGGLE_ACTION', id: -1 }],
    ['a fractional id', { type: 'TOGGLE_ACTION', id: 1.5 }],
    ['a string id', { type: 'TOGGLE_ACTION', id: '1' }],
    ['a prototype key as id', { type: 'TOGGLE_ACTION', id: '__proto__' }],
    ['NaN', { type: 'JUMP_TO_ACTION', actionId: Number.NaN }],
    ['skipping the initial state', { type: 'TOGGLE_ACTION', id: 0 }],
    ['moving the initial state', { type: 'REORDER_ACTION', actionId: 0, beforeActionId: 1 }],
    ['an index past the list', { type: 'JUMP_TO_STATE', index: 3 }],
    ['a status that is not a boolean', { type: 'PAUSE_RECORDING', status: 'yes' }],
    ['an unknown command', { type: 'SET_ACTIONS_ACTIVE', start: 1, end: 2, active: false }],
    ['an import without patches', { type: 'IMPORT_STATE', nextLiftedState: { stagedActionIds: [0, 1], actionsById: { 1: { action: { type: 'x' } } }, committedState: {} } }],
    ['an import naming a missing action', { type: 'IMPORT_STATE', nextLiftedState: { stagedActionIds: [0, 7], actionsById: {}, committedState: {} } }],
    ['an import through the prototype', { type: 'IMPORT_STATE', nextLiftedState: { stagedActionIds: [0, 1], actionsById: Object.create({ 1: { action: { type: 'x', patch: [] } } }), committedState: {} } }],
    ['an import writing to __proto__', { type: 'IMPORT_STATE', nextLiftedState: [{ type: 'x', patch: [{ op: 'add', path: '/__proto__/polluted', value: 1 }] }], preloadedState: {} }],
    ['an import of actions alone', { type: 'IMPORT_STATE', nextLiftedState: [{ type: 'x', patch: [] }] }],
    ['an import whose base is not JSON (a lone surrogate)', { type: 'IMPORT_STATE', nextLiftedState: { stagedActionIds: [0], actionsById: {}, committedState: { s: '\ud800' } } }],
    ['an import without its base', { type: 'IMPORT_STATE', nextLiftedState: { stagedActionIds: [0], actionsById: {}, computedStates: [] } }],
    ['an import with a bad origin', { type: 'IMPORT_STATE', nextLiftedState: [{ type: 'x', origin: 'root', patch: [] }], preloadedState: {} }],
  ]
  it.each(hostile)('%s is refused with nothing changed, and the monitor is set back', (_, payload) => {
    const { store, devtools } = setup()
    store.set('/n', 1)
    store.set('/n', 2)
    const before = { doc: store.get(), revision: store.revision, log: store.log().length }
    devtools.dispatch(payload)
    expect(devtools.errors).toHaveLength(1)
    expect(devtools.errors[0]).toMatch(/^patchdb: \w+ refused: /)
    expect({ doc: store.get(), revision: store.revision, log: store.log().length }).toEqual(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(devtools.histories).toHaveLength(1)
    expect(devtools.shown()).toEqual(before.doc)
    expect(errorCode(() => store.set('/n', 3))).toBe('no error') // not left travelling
  })

  it('messages that are not commands are ignored: no payload, non-objects, custom dispatches', () => {
    const { store, devtools } = setup()
    for (const m of [null, 'JUMP', 42, [], { type: 'ACTION', payload: '{"type":"x"}' }, { type: 'IMPORT', state: '{}' }]) devtools.post(m)
    devtools.post({ type: 'DISPATCH' })
    devtools.post({ type: 'DISPATCH', payload: { type: 7 } })
    expect(devtools.errors).toHaveLength(2)
    expect(store.revision).toBe(0)
  })

  it('a forged state in a jump never reaches the store: the document is computed from the history', () => {
    const { store, devtools } = setup()
    store.set('/n', 1)
    store.set('/n', 2)
    devtools.dispatch({ type: 'JUMP_TO_ACTION', actionId: devtools.actionAt(1) }, JSON.stringify({ n: 'forged', admin: true }))
    expect(store.get()).toEqual({ n: 1, todos: [] })
  })

  it('an import’s forged computed states are ignored: documents are replayed from its base and patches', () => {
    const { store, devtools } = setup()
    devtools.dispatch({
      type: 'IMPORT_STATE',
      nextLiftedState: {
        stagedActionIds: [0, 1],
        skippedActionIds: [],
        actionsById: { 0: { action: { type: '@@INIT' } }, 1: { action: { type: 'bump', patch: [{ op: 'replace', path: '/n', value: 1 }] } } },
        committedState: { n: 0 },
        computedStates: [{ state: { n: 0 } }, { state: { n: 1, admin: true } }],
        currentStateIndex: 1,
      },
    })
    expect(store.get()).toEqual({ n: 1 })
  })

  it('huge imports are refused before they are read: too many actions, too many operations', () => {
    const { store, devtools } = setup()
    const start = store.dump()
    const manyActions = Array.from({ length: 100_001 }, () => ({ type: 'x', patch: [] }))
    devtools.dispatch({ type: 'IMPORT_STATE', nextLiftedState: manyActions, preloadedState: {} })
    expect(devtools.errors.at(-1)).toMatch(/at most 100000 actions/)
    const op = { op: 'test', path: '', value: null }
    const manyOps = Array.from({ length: 3 }, () => ({ type: 'x', patch: Array.from({ length: 400_000 }, () => op) }))
    devtools.dispatch({ type: 'IMPORT_STATE', nextLiftedState: manyOps, preloadedState: {} })
    expect(devtools.errors.at(-1)).toMatch(/at most 1000000 patch operations/)
    let deep: JsonValue = 0
    for (let i = 0; i < 2000; i++) deep = [deep]
    devtools.dispatch({ type: 'IMPORT_STATE', nextLiftedState: [{ type: 'deep', patch: [{ op: 'add', path: '/deep', value: deep }] }], preloadedState: {} })
    expect(devtools.errors.at(-1)).toMatch(/1000 levels|deeper/)
    expect(store.dump()).toEqual(start)
  }, 30_000) // building 1.2 million operations takes seconds on a busy machine
})

describe('stopping', () => {
  it('stop lifts any travel, unsubscribes from the monitor and frees the store', () => {
    const { store, devtools, stop } = setup()
    store.set('/n', 1)
    store.set('/n', 2)
    devtools.dispatch({ type: 'JUMP_TO_STATE', index: 0 })
    expect(store.get('/n')).toBe(0)
    stop()
    expect(store.get('/n')).toBe(2)
    expect(errorCode(() => store.set('/n', 3))).toBe('no error')
    expect(devtools.connected).toBe(false)
    expect(devtools.unsubscribed).toBe(1)
    expect(devtools.actions).toHaveLength(2)
    expect(() => createInspector(store)).not.toThrow()
    stop()
  })

  it('a lock is lifted by stop', () => {
    const { store, devtools, stop } = setup()
    devtools.dispatch({ type: 'LOCK_CHANGES', status: true })
    stop()
    expect(errorCode(() => store.set('/n', 1))).toBe('no error')
  })
})

describe('the monitor’s view stays true', () => {
  it('past the limit the monitor and the inspector fold alike: every index still jumps to its own state', () => {
    const { store, devtools } = setup(3)
    for (let i = 1; i <= 6; i++) store.set('/n', i)
    expect(devtools.monitor.stagedActionIds).toHaveLength(4)
    for (let index = 0; index < 4; index++) {
      devtools.dispatch({ type: 'JUMP_TO_STATE', index })
      expect(store.get('/n')).toBe(3 + index)
      expect(devtools.shown()).toEqual(store.get())
    }
    expect(devtools.errors).toEqual([])
  })

  it('property: after any writes and commands, the monitor shows the store’s document and its history replays to its states', () => {
    const command = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), n: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ kind: fc.constantFrom('toggle' as const, 'jump' as const, 'reorder' as const), at: fc.nat(), to: fc.nat() }),
      fc.record({ kind: fc.constantFrom('commit' as const, 'sweep' as const, 'rollback' as const, 'reset' as const, 'live' as const, 'lock' as const, 'unlock' as const, 'reimport' as const) }),
    )
    fc.assert(
      fc.property(fc.array(command, { maxLength: 25 }), fc.integer({ min: 2, max: 6 }), (commands, limit) => {
        const store = createStore<JsonValue>({ value: { list: [] } })
        const devtools = fakeReduxDevtools()
        const stop = connectReduxDevtools(store, { connect: devtools.connect, limit })
        for (const c of commands) {
          const staged = devtools.monitor.stagedActionIds
          const pick = (i: number) => staged[1 + (i % Math.max(1, staged.length - 1))]
          if (c.kind === 'write') {
            if (store.get('/list') !== undefined && errorCode(() => store.apply([{ op: 'add', path: '/list/-', value: c.n }])) === 'TIME_TRAVEL') continue
          } else if (c.kind === 'live') devtools.dispatch({ type: 'JUMP_TO_STATE', index: staged.length - 1 })
          else if (c.kind === 'commit') devtools.dispatch({ type: 'COMMIT' })
          else if (c.kind === 'sweep') devtools.dispatch({ type: 'SWEEP' })
          else if (c.kind === 'rollback') devtools.dispatch({ type: 'ROLLBACK' })
          else if (c.kind === 'reset') devtools.dispatch({ type: 'RESET' })
          else if (c.kind === 'lock' || c.kind === 'unlock') devtools.dispatch({ type: 'LOCK_CHANGES', status: c.kind === 'lock' })
          else if (c.kind === 'reimport') {
            // The monitor's own history, exported and imported back: the store ends where the history does.
            const exported = JSON.parse(JSON.stringify(devtools.monitor)) as MonitorModel
            devtools.dispatch({ type: 'IMPORT_STATE', nextLiftedState: exported })
            expect(store.get()).toEqual(replayed(exported).at(-1))
          }
          else if (staged.length > 1) {
            if (c.kind === 'toggle') devtools.dispatch({ type: 'TOGGLE_ACTION', id: pick(c.at) })
            if (c.kind === 'jump') devtools.dispatch({ type: 'JUMP_TO_STATE', index: c.at % staged.length })
            if (c.kind === 'reorder') devtools.dispatch({ type: 'REORDER_ACTION', actionId: pick(c.at), beforeActionId: pick(c.to) })
          }
          const m = devtools.monitor
          expect(devtools.shown()).toEqual(store.get())
          const states = m.computedStates.map((s) => s.state)
          // The history the monitor holds replays to the states it shows, whatever was skipped or moved.
          expect(replayed(m)).toEqual(states)
        }
        expect(devtools.errors).toEqual([])
        stop()
      }),
      { numRuns: 150 },
    )
  })
})
