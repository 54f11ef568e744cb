import { createStore, type JsonValue } from 'patchdb'
import { createInspector, PROTOCOL_VERSION, type InspectorMessage } from 'patchdb/devtools'
import { connectChannel, INSPECTOR_EVENT, PANEL_EVENT, serveInspector } from 'patchdb/storybook'
import { Channel } from 'storybook/internal/channels'
import { describe, expect, it } from 'vitest'

// The devtools protocol over Storybook's channel. A channel without transports delivers
// every emit to its own listeners, synchronously: one object stands for both ends, preview
// and manager, as the real transports join them.

function setup(session = 'story#1') {
  const channel = new Channel({})
  const store = createStore<JsonValue>({ value: { todos: [{ title: 'a' }] } })
  const inspector = createInspector(store, { name: 'story' })
  const stop = serveInspector(channel, session, inspector)
  const panel = connectChannel(channel, session)
  const received: InspectorMessage[] = []
  panel.subscribe((m) => received.push(m))
  return { channel, store, inspector, stop, panel, received }
}

const connect = { type: 'connect', version: PROTOCOL_VERSION } as const

describe('the Storybook channel adapter', () => {
  it("a panel over the channel gets the story's revisions and time-travels its store", () => {
    const { store, panel, received } = setup()
    store.set('/todos/0/title', 'b', { label: 'rename' })
    panel.send(connect)
    expect(received[0]).toMatchObject({ type: 'hello', name: 'story', entries: [{ id: 1, label: 'rename', patch: [{ op: 'replace', path: '/todos/0/title', value: 'b' }] }] })
    store.apply([{ op: 'add', path: '/todos/-', value: { title: 'c' } }])
    expect(received.filter((m) => m.type === 'entry').map((m) => m.type === 'entry' && m.entry.id)).toContain(2)
    panel.send({ type: 'jump', id: 1 })
    expect(store.get()).toEqual({ todos: [{ title: 'b' }] })
    expect(received.at(-1)).toEqual({ type: 'status', head: 2, viewing: 1, paused: false })
    panel.send({ type: 'live' })
    expect(store.get('/todos/1')).toEqual({ title: 'c' })
  })

  it('messages cross as JSON strings: a document deeper than the transports copy (15 to 25 levels) arrives whole', () => {
    const { channel, store, panel, received } = setup()
    const envelopes: unknown[] = []
    channel.on(INSPECTOR_EVENT, (e: unknown) => envelopes.push(e))
    let deep: unknown = 'bottom'
    for (let i = 0; i < 60; i++) deep = { d: deep }
    store.set('/deep', deep as never)
    panel.send(connect)
    expect(envelopes.every((e) => typeof (e as { json: unknown }).json === 'string')).toBe(true)
    const hello = received[0]
    expect(hello?.type === 'hello' && hello.entries[0]!.patch[0]).toEqual({ op: 'add', path: '/deep', value: deep })
  })

  it('nothing crosses the channel until a panel connects (a story whose Patches panel is closed sends nothing)', () => {
    const { channel, store } = setup()
    let sent = 0
    channel.on(INSPECTOR_EVENT, () => sent++)
    for (let i = 0; i < 5; i++) store.set('/n', i)
    expect(sent).toBe(0)
  })

  it("another session's commands and messages are ignored: the previous story's panel never drives the next story's store", () => {
    const { channel, store, received } = setup('story#2')
    store.set('/n', 1)
    const old = connectChannel(channel, 'story#1')
    const oldReceived: InspectorMessage[] = []
    old.subscribe((m) => oldReceived.push(m))
    old.send(connect)
    old.send({ type: 'jump', id: 0 })
    expect(store.get('/n')).toBe(1)
    expect(oldReceived).toEqual([])
    expect(received).toEqual([])
  })

  it('forged commands get an error message and never reach the inspector', () => {
    const { channel, store, inspector, panel, received } = setup()
    store.set('/n', 1)
    panel.send(connect)
    const forged = [
      { session: 'story#1', json: '{"type":"jump","id":"0"}' },
      { session: 'story#1', json: '{"type":"valueAt","requestId":1,"id":0,"pointer":"/__proto__/x"}' },
      { session: 'story#1', json: '{"type":"jump"' },
      { session: 'story#1', json: { type: 'jump', id: 0 } },
      { session: 'story#1', json: '{"type":"hello","version":1}' },
    ]
    for (const envelope of forged) channel.emit(PANEL_EVENT, envelope)
    const errors = received.filter((m) => m.type === 'error')
    expect(errors).toHaveLength(forged.length)
    expect(errors.every((e) => e.type === 'error' && e.code === 'PROTOCOL_INVALID')).toBe(true)
    expect(inspector.status().viewing).toBe(null)
    expect(store.get('/n')).toBe(1)
  })

  it("forged inspector messages reach the panel as errors, not as the story's state", () => {
    const { channel, panel, received } = setup()
    panel.send(connect)
    const before = received.length
    channel.emit(INSPECTOR_EVENT, { session: 'story#1', json: JSON.stringify({ type: 'entries', base: { id: 0, value: {} }, entries: [{ id: 1, patch: [{ op: 'add', path: '/constructor/prototype/x', value: 1 }] }] }) })
    channel.emit(INSPECTOR_EVENT, { session: 'story#1', json: JSON.stringify({ type: 'jump', id: 0 }) })
    expect(received.slice(before).map((m) => m.type)).toEqual(['error', 'error'])
  })

  it('after stop and close, neither end hears the other', () => {
    const { channel, store, stop, panel, received } = setup()
    panel.send(connect)
    stop()
    store.set('/n', 1)
    panel.send({ type: 'jump', id: 0 })
    expect(store.get('/n')).toBe(1)
    const count = received.length
    panel.close()
    channel.emit(INSPECTOR_EVENT, { session: 'story#1', json: JSON.stringify({ type: 'status', head: 1, viewing: null, paused: false }) })
    expect(received).toHaveLength(count)
  })
})
