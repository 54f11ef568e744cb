import fc from 'fast-check'
import { createStore, type JsonValue } from 'patchdb'
import { connectDirect, createInspector, ProtocolError, validateInspectorMessage, validateMessage, validatePanelMessage, type InspectorMessage } from 'patchdb/devtools'
import { describe, expect, it } from 'vitest'

describe('validateMessage', () => {
  it('accepts every command a panel sends and returns a copy built from fields read once', () => {
    const commands = [
      { type: 'connect', version: 1 },
      { type: 'jump', id: 3 },
      { type: 'live' },
      { type: 'toggle', id: 1 },
      { type: 'reorder', id: 1, beforeId: null },
      { type: 'reorder', id: 1, beforeId: 2 },
      { type: 'commit' },
      { type: 'reset' },
      { type: 'pause', paused: true },
      { type: 'export', requestId: 1 },
      { type: 'touching', requestId: 2, pointer: '/a/0' },
      { type: 'valueAt', requestId: 3, id: 0, pointer: '' },
    ]
    for (const c of commands) expect(validatePanelMessage(c)).toEqual(c)
    // A getter is read once: what is checked is what is returned.
    let reads = 0
    const tricky = {
      type: 'jump',
      get id() {
        return reads++ === 0 ? 1 : '__proto__'
      },
    }
    expect(validatePanelMessage(tricky)).toEqual({ type: 'jump', id: 1 })
  })

  it.each([
    ['null', null, /a message is an object/],
    ['an unknown type', { type: 'eval' }, /unknown message type/],
    ['a wrong version', { type: 'connect', version: 2 }, /protocol version 1/],
    ['a fractional id', { type: 'jump', id: 1.5 }, /id is a whole number/],
    ['a pointer that is not RFC 6901', { type: 'touching', requestId: 1, pointer: 'a' }, /not a JSON pointer/],
    ['a prototype pointer', { type: 'valueAt', requestId: 1, id: 0, pointer: '/constructor/prototype' }, /unsafe segment/],
    ['an entry with a non-JSON value', { type: 'entry', entry: { id: 1, patch: [{ op: 'add', path: '/a', value: Number.NaN }], inverse: [], time: 0, origin: 'local', skipped: false } }, /not plain JSON/],
    ['a huge label', { type: 'entry', entry: { id: 1, patch: [], inverse: [], time: 0, origin: 'local', skipped: false, label: 'x'.repeat(100_001) } }, /label is a string/],
    ['render labels that are not a list', withLabels({ TodoCount: 1 }), /labels is an array/],
    ['a render label that is not a string', withLabels([{ label: 7, calls: 1 }]), /labels\[0\]\.label is a string/],
    ['a huge render label', withLabels([{ label: 'x'.repeat(100_001), calls: 1 }]), /labels\[0\]\.label is a string/],
    ['a negative render label count', withLabels([{ label: 'Row', calls: -1 }]), /labels\[0\]\.calls is a whole number/],
    ['a render label entry that is not an object', withLabels(['Row']), /labels\[0\] is an object/],
    ['negative dispatch time', { type: 'entry', entry: { id: 1, patch: [], inverse: [], time: 0, origin: 'local', skipped: false, calls: { watchers: 0, pointers: [], ms: -1 } } }, /ms is a number/],
  ])('refuses %s with a ProtocolError naming the field', (_, m, why) => {
    expect(() => validateMessage(m)).toThrow(ProtocolError)
    expect(() => validateMessage(m)).toThrow(why)
  })

  it('render attribution labels are read as a list of { label, calls }, any string a label, unknown fields dropped', () => {
    const m = validateMessage(withLabels([{ label: '__proto__', calls: 2, extra: true }, { label: 'Row', calls: 1 }]))
    expect(m.type === 'entry' && m.entry.calls!.pointers[0]!.labels).toEqual([
      { label: '__proto__', calls: 2 },
      { label: 'Row', calls: 1 },
    ])
  })

  it('each side refuses the other side’s messages', () => {
    expect(() => validatePanelMessage({ type: 'status', head: 0, viewing: null, paused: false })).toThrow(/not a panel's command/)
    expect(() => validateInspectorMessage({ type: 'jump', id: 0 })).toThrow(/not an inspector's message/)
    expect(validateInspectorMessage({ type: 'touching', requestId: 1, pointer: '', entries: [] }).type).toBe('touching')
  })

  it('never throws anything but a ProtocolError, whatever it is fed', () => {
    fc.assert(
      fc.property(fc.anything({ withObjectString: true, withNullPrototype: true }), fc.constantFrom('jump', 'entry', 'hello', 'import', 'reorder', 'value'), (junk, type) => {
        for (const m of [junk, { type, id: junk, entry: junk, log: junk, base: junk, value: junk, beforeId: junk }]) {
          try {
            validateMessage(m)
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError)
          }
        }
      }),
    )
  })
})

describe('connectDirect', () => {
  it('a panel connects, gets hello with the base and entries, and its requests are answered to it alone', () => {
    const store = createStore<JsonValue>({ value: { a: 1 } })
    const inspector = createInspector(store, { name: 'app', limit: 50 })
    store.set('/a', 2, { label: 'two' })
    const one: InspectorMessage[] = []
    const two: InspectorMessage[] = []
    const a = connectDirect(inspector)
    const b = connectDirect(inspector)
    a.subscribe((m) => one.push(m))
    b.subscribe((m) => two.push(m))
    a.send({ type: 'connect', version: 1 })
    expect(one[0]).toMatchObject({ type: 'hello', name: 'app', limit: 50, base: { id: 0, value: { a: 1 } }, status: { head: 1, viewing: null, paused: false } })
    expect(one[0]!.type === 'hello' && one[0]!.entries.map((e) => e.label)).toEqual(['two'])
    a.send({ type: 'valueAt', requestId: 7, id: 0, pointer: '/a' })
    expect(one.at(-1)).toEqual({ type: 'value', requestId: 7, id: 0, pointer: '/a', value: 1 })
    expect(two).toEqual([])
    // Broadcasts reach both.
    store.set('/a', 3)
    expect(one.at(-1)!.type).toBe('entry')
    expect(two.at(-1)!.type).toBe('entry')
    a.close()
    b.close()
  })

  it('a bad command is answered with an error message, never thrown into the panel', () => {
    const store = createStore<JsonValue>({ value: {} })
    const inspector = createInspector(store)
    const got: InspectorMessage[] = []
    const c = connectDirect(inspector)
    c.subscribe((m) => got.push(m))
    c.send({ type: 'jump', id: 99 })
    c.send({ type: 'jump', id: -1 } as never)
    c.send({ type: 'export', requestId: 4 })
    expect(got.map((m) => m.type)).toEqual(['error', 'error', 'exported'])
    expect(got[0]).toMatchObject({ code: 'ARGUMENT_INVALID' })
    expect(got[1]).toMatchObject({ code: 'PROTOCOL_INVALID' })
  })

  it('after close, nothing reaches the panel', () => {
    const store = createStore<JsonValue>({ value: { a: 1 } })
    const inspector = createInspector(store)
    const got: InspectorMessage[] = []
    const c = connectDirect(inspector)
    c.subscribe((m) => got.push(m))
    c.close()
    store.set('/a', 2)
    c.send({ type: 'connect', version: 1 })
    expect(got).toEqual([])
  })
})

/** An entry message whose one called pointer carries `labels`. */
function withLabels(labels: unknown) {
  return { type: 'entry', entry: { id: 1, patch: [], inverse: [], time: 0, origin: 'local', skipped: false, calls: { watchers: 1, ms: 0, pointers: [{ pointer: '/a', calls: 1, labels }] } } }
}
