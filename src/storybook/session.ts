import { createStore, PatchError, type Dump, type JsonValue, type Store } from 'patchdb'
import { createInspector, type ExportedLog, type Inspector } from 'patchdb/devtools'
import { ASK_EVENT, SESSION_EVENT, serveInspector, type ChannelLike } from './channel'

/**
 * What `parameters.patchdb` seeds a story's store with: an initial value, a dump (a
 * document at a revision), or a log exported from the devtools panel, which is replayed
 * so that its revisions show in the Patches panel and can be travelled.
 */
export type PatchdbParameter<T = unknown> = { readonly value: T } | Dump<T> | ExportedLog

/** One rendering of a story: its own store, the inspector the Patches panel talks to, and where the story's own writes begin. */
export interface StorySession {
  /** Names this session on the channel: the story id and a counter. */
  readonly id: string
  readonly storyId: string
  readonly store: Store<JsonValue>
  readonly inspector: Inspector
  /** The store's revision once seeded: what the story writes comes after it. */
  readonly seeded: number
  close(): void
}

/** Revisions the store keeps for `patchesSinceRender`: a play function writes far fewer. */
const HISTORY = 1000

let counter = 0
/** The latest session of each story id, for the play helpers. */
const byStory = new Map<string, StorySession>()
/** The last announcement, repeated when the manager asks. */
let current: { storyId: string; session: StorySession | null } | null = null

const LOG_KEYS = new Set(['format', 'version', 'base', 'revisions'])
const DUMP_KEYS = new Set(['id', 'value'])

/**
 * Which seed `parameter` is. Storybook deep-merges a story's parameters into its meta's,
 * so a story's `{ value }` under a meta's log would come out as both: such a mix is refused
 * rather than read as one or the other.
 */
function readSeed(storyId: string, parameter: unknown): { log: ExportedLog; dump?: undefined } | { log?: undefined; dump: Dump<JsonValue> } {
  const refuse = (why: string) =>
    new PatchError('ARGUMENT_INVALID', `patchdb storybook: parameters.patchdb of story '${storyId}' is { value }, a dump { id, value } or an exported log { format: 'patchdb-log', ... }${why}`)
  if (typeof parameter !== 'object' || parameter === null || Array.isArray(parameter)) throw refuse('')
  const keys = Object.keys(parameter)
  const log = (parameter as { format?: unknown }).format !== undefined
  const extra = keys.filter((k) => !(log ? LOG_KEYS : DUMP_KEYS).has(k))
  if (extra.length > 0) throw refuse(`; it has ${extra.map((k) => `'${k}'`).join(', ')} too (Storybook merges a story's parameters into its meta's: give both the same shape)`)
  if (log) return { log: parameter as ExportedLog } // validated by the inspector's import
  if (!('value' in parameter)) throw refuse('')
  return { dump: parameter as Dump<JsonValue> }
}

/**
 * A fresh store for `storyId` seeded from `parameter`, with an inspector served over
 * `channel`, announced to the manager. It replaces the story's previous session (closed).
 */
export function openSession(storyId: string, name: string, parameter: unknown, channel: ChannelLike): StorySession {
  const seed = readSeed(storyId, parameter)
  const store = createStore<JsonValue>(seed.log ? undefined : seed.dump, { history: HISTORY })
  const inspector = createInspector(store, { name })
  if (seed.log) {
    try {
      inspector.import(seed.log)
    } catch (e) {
      inspector.close() // a refused log leaves nothing attached
      throw e
    }
  }
  const id = `${storyId}#${++counter}`
  const stop = serveInspector(channel, id, inspector)
  let closed = false
  const session: StorySession = {
    id,
    storyId,
    store,
    inspector,
    seeded: store.revision,
    close() {
      if (closed) return
      closed = true
      stop()
      inspector.close()
      if (byStory.get(storyId) === session) byStory.delete(storyId)
      if (current?.session === session) current = { storyId, session: null }
    },
  }
  byStory.get(storyId)?.close()
  byStory.set(storyId, session)
  announce(channel, storyId, session)
  return session
}

/** Tells the manager which session the story shown has (null: none, the story has no store). */
export function announce(channel: ChannelLike, storyId: string, session: StorySession | null): void {
  current = { storyId, session }
  channel.emit(SESSION_EVENT, { storyId, session: session?.id ?? null })
}

const answering = new WeakSet<ChannelLike>()

/** Repeats the last announcement when the manager asks (its panel opened after the story rendered, or it reloaded). Once per channel. */
export function answerAsks(channel: ChannelLike): void {
  if (answering.has(channel)) return
  answering.add(channel)
  channel.on(ASK_EVENT, () => current && announce(channel, current.storyId, current.session))
}

/** The session the story `storyId` renders with now. */
export function sessionOf(storyId: string): StorySession {
  const session = byStory.get(storyId)
  if (!session) throw new PatchError('ARGUMENT_INVALID', `patchdb storybook: story '${storyId}' has no store: give it parameters.patchdb, with the patchdb decorator (addons: ['patchdb/storybook'], or decorators: [withPatchdb])`)
  return session
}
