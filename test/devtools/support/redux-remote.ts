import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ReduxDevtoolsConnect } from 'patchdb/devtools'
import { ensureReduxRemoteInstalled } from '../redux-remote/install.mjs'

/*
 * The real Redux DevTools remote stack, from test/devtools/redux-remote (its own package,
 * installed on first use): the server of @redux-devtools/cli, the socketcluster-client its
 * app and @redux-devtools/remote talk through, and the app's own reducer of what it receives.
 */

/** The few methods of socketcluster-client's AGClientSocket used here. */
interface Socket {
  readonly id: string | null
  invoke(procedure: string, data: unknown): Promise<unknown>
  transmit(event: string, data: unknown): Promise<void>
  subscribe(channel: string): AsyncIterable<unknown> & { listener(event: 'subscribe'): { once(): Promise<unknown> } }
  listener(event: 'connect'): { once(): Promise<unknown> }
  disconnect(): void
}
interface Jsan {
  stringify(v: unknown): string
  parse(s: string): unknown
}
type InstancesReducer = (s: Instances | undefined, a: object) => Instances
interface ActionTypes {
  UPDATE_STATE: string
  LIFTED_ACTION: string
}

/** Installs the package (once), then loads what the helpers below use. */
export async function loadReduxRemote() {
  const dir = await ensureReduxRemoteInstalled()
  const load = (path: string) => import(pathToFileURL(join(dir, 'node_modules', path)).href)
  const sc = (await load('socketcluster-client/index.js')).default as { create(options: object): Socket }
  const jsan = (await load('jsan/index.js')).default as Jsan
  const { instances } = (await load('@redux-devtools/app-core/lib/reducers/instances.js')) as { instances: InstancesReducer }
  const types = (await load('@redux-devtools/app-core/lib/constants/actionTypes.js')) as ActionTypes
  return {
    jsan,
    startServer: () => startReduxDevtoolsServer(dir),
    remoteConnect: (port: number) => remoteConnect(sc, jsan, port),
    monitor: (port: number) => reduxDevtoolsMonitor(sc, instances, types, port),
  }
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
    s.on('error', reject)
  })

/**
 * Starts `redux-devtools --hostname 127.0.0.1 --port N` (its SocketCluster server and web
 * app). The reports database is configured without a connection (db-options.json), so
 * sqlite3's native module, whose build was not run, is never loaded: reports are unused here.
 */
async function startReduxDevtoolsServer(dir: string): Promise<{ port: number; stop(): Promise<void>; log(): string }> {
  const port = await freePort()
  const bin = join(dir, 'node_modules', '@redux-devtools', 'cli', 'bin', 'redux-devtools.js')
  const child: ChildProcess = spawn(process.execPath, [bin, '--hostname', '127.0.0.1', '--port', String(port), '--dbOptions', join(dir, 'db-options.json')], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // Killed at the end, also when the test fails, and when its worker exits without afterAll.
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  process.once('exit', kill)
  const stop = async () => {
    kill()
    process.off('exit', kill)
    await exited
  }
  try {
    for (let tries = 0; ; tries++) {
      if (child.exitCode !== null) throw new Error(`redux-devtools exited: ${output}`)
      const ok = await fetch(`http://127.0.0.1:${port}/port.js`).then((r) => r.ok, () => false)
      if (ok) break
      if (tries > 300) throw new Error(`redux-devtools did not answer on port ${port}: ${output}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  } catch (e) {
    await stop()
    throw e
  }
  return { port, stop, log: () => output }
}

/**
 * Redux DevTools' connect() API over the remote server, speaking what @redux-devtools/remote
 * speaks (login as 'master', 'log' messages with jsan payloads) plus what the extension's
 * connect() sends (INIT with libConfig, so the monitor knows the features). @redux-devtools/remote
 * 1.0.0 itself exports only a Redux store enhancer, and it listens on the 'respond' channel
 * only, while the app sends an instance's commands on `sc-<socket id>`, so time travel never
 * reaches a remote app (reduxjs/redux-devtools#1340): this one listens on both. Commands
 * arrive as the extension hands them to a connect() listener (an import as IMPORT_STATE).
 */
function remoteConnect(sc: { create(options: object): Socket }, jsan: Jsan, port: number): ReduxDevtoolsConnect {
  return (options) => {
    const socket = sc.create({ hostname: '127.0.0.1', port, autoReconnect: false })
    const instanceId = `patchdb-${Math.random().toString(36).slice(2)}`
    const libConfig = { name: options.name, type: 'patchdb', features: options.features }
    const listeners = new Set<(m: unknown) => void>()
    const relay = (message: Record<string, unknown>) => {
      const body = { ...message, name: options.name, instanceId, libConfig }
      // As @redux-devtools/remote: before the socket has an id, the server adds it ('log-noid').
      void socket.transmit(socket.id ? 'log' : 'log-noid', socket.id ? { ...body, id: socket.id } : body)
    }
    const deliver = (raw: unknown) => {
      const m = raw as { type?: string; action?: unknown; state?: unknown; instanceId?: unknown }
      if (m.instanceId !== undefined && m.instanceId !== instanceId) return
      let message: unknown = { type: m.type, payload: m.action, state: m.state }
      if (m.type === 'IMPORT') {
        // As the extension's connect(): an import is an IMPORT_STATE of the parsed lifted state.
        const parsed = jsan.parse(m.state as string) as { payload?: string; preloadedState?: string }
        const nextLiftedState = typeof parsed.payload === 'string' ? jsan.parse(parsed.payload) : parsed
        const preloadedState = typeof parsed.preloadedState === 'string' ? jsan.parse(parsed.preloadedState) : undefined
        message = { type: 'DISPATCH', payload: { type: 'IMPORT_STATE', nextLiftedState, preloadedState } }
      }
      for (const fn of listeners) fn(message)
    }
    void (async () => {
      await socket.listener('connect').once()
      const channel = (await socket.invoke('login', 'master')) as string
      for (const name of [channel, `sc-${socket.id}`]) {
        void (async () => {
          for await (const data of socket.subscribe(name)) deliver(data)
        })()
      }
      relay({ type: 'START' })
    })()
    return {
      init: (state) => relay({ type: 'INIT', payload: jsan.stringify(state), maxAge: options.maxAge }),
      send: (action, state) =>
        action === null
          ? relay({ type: 'STATE', payload: jsan.stringify(state) })
          : relay({ type: 'ACTION', payload: jsan.stringify(state), action: jsan.stringify({ type: 'PERFORM_ACTION', action, timestamp: Date.now() }), maxAge: options.maxAge }),
      subscribe: (fn) => {
        listeners.add(fn)
        return () => void listeners.delete(fn)
      },
      unsubscribe: () => {
        listeners.clear()
        socket.disconnect()
      },
      error: (message) => relay({ type: 'ERROR', payload: message }),
    }
  }
}

type Instances = {
  current: string | number
  options: Record<string, { connectionId?: string | number; features: Record<string, unknown>; name?: string | number }>
  states: Record<string, { stagedActionIds: number[]; actionsById: Record<number, { action: { type: string } }>; computedStates: { state: unknown; error?: string }[]; currentStateIndex: number; skippedActionIds: number[]; isLocked?: boolean }>
}

/**
 * The monitor side, as the Redux DevTools app does it: its socket logs in (not as 'master'),
 * listens on the channel it gets, says START, and keeps what arrives with the app's own
 * reducer (@redux-devtools/app-core's `instances`); commands go out as its api middleware
 * sends them: to `sc-<connection id>`, or to every app on 'respond' (lock and pause).
 */
async function reduxDevtoolsMonitor(sc: { create(options: object): Socket }, instances: InstancesReducer, types: ActionTypes, port: number) {
  let state = instances(undefined, { type: '@@INIT' })
  const errors: string[] = []
  const socket = sc.create({ hostname: '127.0.0.1', port, autoReconnect: false })
  await socket.listener('connect').once()
  const channel = (await socket.invoke('login', {})) as string
  const subscription = socket.subscribe(channel)
  void (async () => {
    for await (const raw of subscription) {
      const request = raw as { type: string; id: string; data?: object; payload?: string }
      if (request.type === 'START') void socket.transmit(`sc-${request.id}`, { type: 'START' })
      else if (request.type === 'ERROR') errors.push(request.payload!)
      else {
        try {
          state = instances(state, { type: types.UPDATE_STATE, request: request.data ? { ...request.data, id: request.id } : request })
        } catch (e) {
          errors.push(`the app's reducer threw: ${String(e)}`) // surfaced by the test's assertions, not lost in this loop
        }
      }
    }
  })()
  await subscription.listener('subscribe').once()
  await socket.transmit('respond', { type: 'START' })

  const instance = (name: string) => {
    const id = Object.keys(state.options).find((k) => state.options[k]!.name === name)
    return id === undefined ? undefined : { id, options: state.options[id]!, lifted: state.states[id]! }
  }
  /** A command as the app's LIFTED_ACTION: its reducer first (a jump moves its index), then the socket. */
  const command = (name: string, action: { type: string } & Record<string, unknown>, toAll = false) => {
    const { id, options } = instance(name)!
    state = instances({ ...state, selected: id } as Instances, { type: types.LIFTED_ACTION, message: 'DISPATCH', action })
    void socket.transmit(toAll ? 'respond' : `sc-${options.connectionId}`, { type: 'DISPATCH', action, instanceId: id })
  }
  /** The app's import: a file's content, sent as is (features.import is 'custom'). */
  const importFile = (name: string, content: string) => {
    const { id, options } = instance(name)!
    void socket.transmit(`sc-${options.connectionId}`, { type: 'IMPORT', state: content, instanceId: id })
  }
  return { instance, command, importFile, errors, close: () => socket.disconnect() }
}

