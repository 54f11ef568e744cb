import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStore, type JsonValue } from 'patchdb'
import { connectReduxDevtools } from 'patchdb/devtools'
import { loadReduxRemote } from './support/redux-remote'
import { errorCode } from '../support/error-code'

/*
 * Against the real thing: the Redux DevTools server (@redux-devtools/cli 5, installed on
 * first use into test/devtools/redux-remote) started on loopback, a store connected through
 * its socket protocol, and the monitor driven as the Redux DevTools app drives it (its
 * socket messages, its own reducer of what arrives).
 */

type Remote = Awaited<ReturnType<typeof loadReduxRemote>>
let remote: Remote
let server: Awaited<ReturnType<Remote['startServer']>> | undefined
let monitor: Awaited<ReturnType<Remote['monitor']>> | undefined
const stops: (() => void)[] = []

beforeAll(async () => {
  remote = await loadReduxRemote() // npm ci on first use: about a minute
  server = await remote.startServer()
  monitor = await remote.monitor(server.port)
}, 5 * 60_000)

afterAll(async () => {
  for (const stop of stops) stop()
  monitor?.close()
  await server?.stop()
})

/** Waits for a condition that the network makes true (not a timing assertion). */
async function until<T>(what: string, fn: () => T | undefined | false): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = fn()
    if (v) return v
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`timed out waiting for ${what}\nmonitor errors: ${monitor?.errors.join('\n')}\nserver log:\n${server?.log()}`)
}

function connected(name: string, value: JsonValue = { n: 0, todos: [] }) {
  const store = createStore<JsonValue>({ value })
  stops.push(connectReduxDevtools(store, { name, connect: remote.remoteConnect(server!.port) }))
  return store
}

/** The action types and states the monitor holds for `name`, once it holds `count` actions. */
async function history(name: string, count: number) {
  const { lifted } = await until(`${count} actions of ${name} in the monitor`, () => {
    const i = monitor!.instance(name)
    return i !== undefined && i.lifted.stagedActionIds.length === count + 1 && i
  })
  return {
    types: lifted.stagedActionIds.map((id) => lifted.actionsById[id]!.action.type),
    states: lifted.computedStates.map((s) => s.state),
    lifted,
  }
}

describe('the Redux DevTools bridge against @redux-devtools/cli', { timeout: 20_000 }, () => {
  it('the actions arrive in the monitor, typed by label or patch summary, each with its document, and the features declared', async () => {
    const store = connected('arrive')
    store.apply([{ op: 'add', path: '/todos/-', value: 'milk' }], { label: 'add todo' })
    store.set('/n', 1)
    const h = await history('arrive', 2)
    expect(h.types).toEqual(['@@INIT', 'add todo', 'replace /n'])
    expect(h.states).toEqual([{ n: 0, todos: [] }, { n: 0, todos: ['milk'] }, { n: 1, todos: ['milk'] }])
    expect(monitor!.instance('arrive')!.options.features).toMatchObject({ jump: true, skip: true, reorder: true, import: 'custom', dispatch: false })
  })

  it('a jump from the monitor shows the old document in the store; jumping to the last state goes live', async () => {
    const store = connected('jump')
    store.set('/n', 1)
    store.set('/n', 2)
    const { lifted } = await history('jump', 2)
    monitor!.command('jump', { type: 'JUMP_TO_ACTION', actionId: lifted.stagedActionIds[1]! })
    await until('the store to show n = 1', () => store.get('/n') === 1)
    expect(errorCode(() => store.set('/n', 5))).toBe('TIME_TRAVEL')
    monitor!.command('jump', { type: 'JUMP_TO_STATE', index: 0 })
    await until('the store to show n = 0', () => store.get('/n') === 0)
    monitor!.command('jump', { type: 'JUMP_TO_STATE', index: 2 })
    await until('the store to be live', () => store.get('/n') === 2)
    expect(errorCode(() => store.set('/n', 3))).toBe('no error')
  })

  it('a skip from the monitor replays the store without that action, and the monitor gets the new history', async () => {
    const store = connected('toggle')
    store.apply([{ op: 'add', path: '/todos/-', value: 'a' }], { label: 'add a' })
    store.apply([{ op: 'add', path: '/todos/-', value: 'b' }], { label: 'add b' })
    const { lifted } = await history('toggle', 2)
    monitor!.command('toggle', { type: 'TOGGLE_ACTION', id: lifted.stagedActionIds[1]! })
    await until('the store to replay without "add a"', () => (store.get('/todos') as string[]).join() === 'b')
    const after = await until('the skip in the monitor', () => {
      const i = monitor!.instance('toggle')!
      return i.lifted.skippedActionIds.length === 1 && i.lifted
    })
    expect(after.computedStates.map((s) => s.state)).toEqual([{ n: 0, todos: [] }, { n: 0, todos: [] }, { n: 0, todos: ['b'] }])
  })

  it('a file exported from the monitor imports into another store: the same document at every state', async () => {
    const source = connected('export')
    source.apply([{ op: 'add', path: '/todos/-', value: 'a' }], { label: 'add a' })
    source.set('/n', 7)
    const { lifted } = await history('export', 2)
    const file = remote.jsan.stringify(lifted) // the app's Export button (features.export: true)

    const target = connected('import', { other: true })
    await until('the target in the monitor', () => monitor!.instance('import'))
    monitor!.importFile('import', file)
    await until('the import to reach the store', () => target.get('/n') === 7)
    expect(target.get()).toEqual(source.get())
    const h = await until('the imported history in the monitor', () => {
      const i = monitor!.instance('import')!
      return i.lifted.stagedActionIds.length === 3 && i.lifted
    })
    expect(h.computedStates.map((s) => s.state)).toEqual(lifted.computedStates.map((s) => s.state))
  })

  it('lock and pause, which the app sends to every connection, lock the store’s writes and stop recording', async () => {
    const store = connected('lock')
    store.set('/n', 1)
    await history('lock', 1)
    monitor!.command('lock', { type: 'LOCK_CHANGES', status: true }, true)
    await until('the lock', () => monitor!.instance('lock')!.lifted.isLocked === true)
    expect(errorCode(() => store.set('/n', 2))).toBe('TIME_TRAVEL')
    monitor!.command('lock', { type: 'LOCK_CHANGES', status: false }, true)
    await until('the unlock', () => monitor!.instance('lock')!.lifted.isLocked === false)
    expect(errorCode(() => store.set('/n', 2))).toBe('no error')
    await history('lock', 2)
  })

  it('a forged command is refused: the monitor shows the error and the store is unchanged', async () => {
    const store = connected('hostile')
    store.set('/n', 1)
    await history('hostile', 1)
    const refused = () => monitor!.errors.filter((e) => e.includes('refused')).length
    const before = refused()
    monitor!.command('hostile', { type: 'TOGGLE_ACTION', id: 12345 })
    monitor!.command('hostile', { type: 'IMPORT_STATE', nextLiftedState: { stagedActionIds: [0, 1], actionsById: { 1: { action: { type: 'x', patch: [{ op: 'add', path: '/__proto__/p', value: 1 }] } } }, committedState: {} } })
    await until('two errors in the monitor', () => refused() === before + 2)
    expect(store.get()).toEqual({ n: 1, todos: [] })
    expect(store.revision).toBe(1)
  })
})
