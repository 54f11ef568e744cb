import { describe, expect, it, vi } from 'vitest'
import { createStore, createUndoManager, isTravel, type JsonValue, type LogEntry, type Revision } from 'patchdb'
import { createInspector } from 'patchdb/devtools'
import { errorCode } from '../support/error-code'

function counter(history = 100) {
  const committed: LogEntry[] = []
  const store = createStore<JsonValue>({ value: { n: 0, list: [] as JsonValue[], other: 'x' } }, { history, beforeCommit: (e) => void committed.push(e) })
  return { store, committed }
}

describe('jump', () => {
  it('jump is a view, not a write: get, dump and watchers show the revision, nothing is committed', () => {
    const { store, committed } = counter()
    const inspector = createInspector(store)
    store.set('/n', 1)
    store.set('/n', 2)
    store.set('/other', 'y')
    const seen: [JsonValue, Revision][] = []
    store.watch('/n', (v, r) => seen.push([v as JsonValue, { id: r.id, patch: r.patch }]))
    const others = vi.fn()
    store.watch('/list', others)
    const before = committed.length
    inspector.jump(1)
    expect(store.get()).toEqual({ n: 1, list: [], other: 'x' })
    expect(store.dump()).toEqual({ id: 1, value: { n: 1, list: [], other: 'x' } })
    expect(seen).toEqual([[1, { id: 1, patch: [{ op: 'replace', path: '', value: 1 }] }]])
    expect(others).not.toHaveBeenCalled()
    expect(committed.length).toBe(before) // persistence never sees travel
    expect(store.revision).toBe(3) // the record is unchanged
    expect(store.log().map((e) => e.id)).toEqual([1, 2, 3])
    inspector.live()
    expect(store.get()).toEqual({ n: 2, list: [], other: 'y' })
    expect(seen.at(-1)).toEqual([2, { id: 3, patch: [{ op: 'replace', path: '', value: 2 }] }])
    expect(committed.length).toBe(before)
  })

  it('jump to the base shows the document the inspector started from', () => {
    const store = createStore<JsonValue>({ value: { a: 1 } })
    const inspector = createInspector(store)
    store.set('/a', 2)
    inspector.jump(0)
    expect(store.get('/a')).toBe(1)
  })

  it('writes while travelling are refused with TIME_TRAVEL and change nothing', () => {
    const { store } = counter()
    const inspector = createInspector(store)
    store.set('/n', 1)
    inspector.jump(0)
    expect(errorCode(() => store.apply([{ op: 'replace', path: '/n', value: 5 }]))).toBe('TIME_TRAVEL')
    expect(errorCode(() => store.set('/n', 5))).toBe('TIME_TRAVEL')
    expect(errorCode(() => store.transact((tx) => tx.set('/n', 5)))).toBe('TIME_TRAVEL')
    expect(store.revision).toBe(1)
    inspector.live()
    expect(store.get('/n')).toBe(1)
    expect(store.set('/n', 5)?.id).toBe(2)
  })

  it("server update()s while travelling are kept, recorded as 'server', and appear on live()", () => {
    const store = createStore<JsonValue>({ value: { n: 0 } })
    const inspector = createInspector(store)
    store.update({ id: 1, patch: [{ op: 'replace', path: '/n', value: 1 }] })
    inspector.jump(0)
    const calls = vi.fn()
    store.watch('/n', calls)
    expect(store.update({ id: 2, patch: [{ op: 'replace', path: '/n', value: 2 }] }).status).toBe('applied')
    expect(store.get('/n')).toBe(0)
    expect(calls).not.toHaveBeenCalled()
    expect(inspector.entries().map((e) => [e.id, e.origin])).toEqual([
      [1, 'server'],
      [2, 'server'],
    ])
    inspector.live()
    expect(store.get('/n')).toBe(2)
    expect(calls).toHaveBeenCalledTimes(1)
    expect(calls.mock.calls[0]![0]).toBe(2)
  })

  it('a jump to an id the inspector does not hold is refused', () => {
    const store = createStore<JsonValue>({ value: {} })
    const inspector = createInspector(store)
    expect(errorCode(() => inspector.jump(7))).toBe('ARGUMENT_INVALID')
    expect(errorCode(() => inspector.jump(Number.NaN))).toBe('ARGUMENT_INVALID')
  })
})

describe('toggle, reorder, reset, commit', () => {
  it('toggle skips a revision: the head is replayed without it and committed as one revision labelled devtools', () => {
    const { store, committed } = counter()
    const inspector = createInspector(store)
    store.set('/n', 1, { label: 'one' })
    store.apply([{ op: 'add', path: '/list/-', value: 'a' }])
    store.set('/other', 'z')
    const before = committed.length
    inspector.toggle(2)
    expect(store.get()).toEqual({ n: 1, list: [], other: 'z' })
    expect(committed.length).toBe(before + 1)
    expect(committed.at(-1)!.label).toBe('devtools: skip #2')
    expect(inspector.entries().map((e) => [e.id, e.skipped])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ])
    inspector.toggle(2)
    expect(store.get()).toEqual({ n: 1, list: ['a'], other: 'z' })
    expect(committed.at(-1)!.label).toBe('devtools: restore #2')
    expect(inspector.entries()).toHaveLength(3) // devtools' own revisions are not entries
  })

  it('an entry that no longer applies is kept, marked with its PatchError, out of the head; restoring what it needs brings it back', () => {
    const store = createStore<JsonValue>({ value: { list: [] } })
    const inspector = createInspector(store)
    store.apply([{ op: 'add', path: '/list/-', value: { title: 'a' } }])
    store.apply([{ op: 'replace', path: '/list/0/title', value: 'b' }])
    inspector.toggle(1)
    const second = inspector.entries()[1]!
    expect(second.skipped).toBe(false)
    expect(second.error?.code).toBe('PATH_NOT_FOUND')
    expect(store.get()).toEqual({ list: [] })
    inspector.toggle(1)
    expect(inspector.entries()[1]!.error).toBeUndefined()
    expect(store.get()).toEqual({ list: [{ title: 'b' }] })
  })

  it('reorder replays the entries in the new order', () => {
    const store = createStore<JsonValue>({ value: { list: [] } })
    const inspector = createInspector(store)
    for (const v of ['a', 'b', 'c']) store.apply([{ op: 'add', path: '/list/-', value: v }])
    inspector.reorder(3, 1)
    expect(store.get('/list')).toEqual(['c', 'a', 'b'])
    expect(inspector.entries().map((e) => e.id)).toEqual([3, 1, 2])
    inspector.reorder(3, null)
    expect(store.get('/list')).toEqual(['a', 'b', 'c'])
    expect(errorCode(() => inspector.reorder(3, 99))).toBe('ARGUMENT_INVALID')
  })

  it('a toggle while travelling keeps the view at the same entry, as replayed now', () => {
    const store = createStore<JsonValue>({ value: { n: 0, m: 0 } })
    const inspector = createInspector(store)
    store.set('/n', 1)
    store.set('/m', 1)
    store.set('/m', 2)
    inspector.jump(2)
    expect(store.get()).toEqual({ n: 1, m: 1 })
    inspector.toggle(1)
    expect(store.get()).toEqual({ n: 0, m: 1 })
    expect(inspector.status().viewing).toBe(2)
    inspector.live()
    expect(store.get()).toEqual({ n: 0, m: 2 })
  })

  it('reset goes back to the base in one revision and drops the entries', () => {
    const { store, committed } = counter()
    store.set('/n', 7)
    const inspector = createInspector(store)
    store.set('/n', 8)
    store.set('/other', 'q')
    const before = committed.length
    inspector.reset()
    expect(store.get()).toEqual({ n: 7, list: [], other: 'x' })
    expect(committed.length).toBe(before + 1)
    expect(committed.at(-1)!.label).toBe('devtools: reset')
    expect(inspector.entries()).toEqual([])
  })

  it('commit makes the head the base: later resets come back to it', () => {
    const store = createStore<JsonValue>({ value: { n: 0 } })
    const inspector = createInspector(store)
    store.set('/n', 1)
    inspector.commit()
    expect(inspector.entries()).toEqual([])
    expect(inspector.base()).toEqual({ id: 1, value: { n: 1 } })
    store.set('/n', 2)
    inspector.reset()
    expect(store.get('/n')).toBe(1)
  })
})

describe('labels and origin', () => {
  it('a label on apply, set and transact reaches the log entry and the inspector', () => {
    const store = createStore<JsonValue>({ value: { n: 0 } })
    const inspector = createInspector(store)
    store.apply([{ op: 'replace', path: '/n', value: 1 }], { label: 'apply' })
    store.set('/n', 2, { label: 'set' })
    store.transact((tx) => tx.set('/n', 3), { label: 'transact' })
    store.set('/n', 4)
    expect(store.log().map((e) => e.label)).toEqual(['apply', 'set', 'transact', undefined])
    expect(inspector.entries().map((e) => e.label)).toEqual(['apply', 'set', 'transact', undefined])
  })

  it('write options that are not { label: string } are refused before anything is written', () => {
    const store = createStore<JsonValue>({ value: { n: 0 } })
    expect(errorCode(() => store.set('/n', 1, { label: 5 as unknown as string }))).toBe('ARGUMENT_INVALID')
    expect(errorCode(() => store.apply([], 'x' as never))).toBe('ARGUMENT_INVALID')
    expect(store.revision).toBe(0)
  })

  it("log entries say where they came from: 'local' writes, 'server' update()s", () => {
    const store = createStore<JsonValue>({ value: { n: 0 } })
    store.set('/n', 1)
    store.update({ id: 2, patch: [{ op: 'replace', path: '/n', value: 2 }] })
    expect(store.log().map((e) => e.origin)).toEqual(['local', 'server'])
  })

  it('a stack is captured only when the inspector asks for stacks', () => {
    const store = createStore<JsonValue>({ value: { n: 0 } })
    const plain = createInspector(store)
    store.set('/n', 1)
    expect(plain.entries()[0]!.stack).toBeUndefined()
    plain.close()
    const withStacks = createInspector(store, { stacks: true })
    function writeFromHere() {
      store.set('/n', 2)
    }
    writeFromHere()
    expect(withStacks.entries()[0]!.stack).toContain('writeFromHere')
  })
})

describe('memory', () => {
  it('bounded memory: limit entries are kept, older ones fold into the base', () => {
    const store = createStore<JsonValue>({ value: { list: [] } })
    const inspector = createInspector(store, { limit: 3 })
    for (let i = 0; i < 5; i++) store.apply([{ op: 'add', path: '/list/-', value: i }])
    expect(inspector.entries().map((e) => e.id)).toEqual([3, 4, 5])
    expect(inspector.base()).toEqual({ id: 2, value: { list: [0, 1] } })
    inspector.jump(2)
    expect(store.get('/list')).toEqual([0, 1])
    inspector.live()
  })

  it("entries hold the store's own patch objects (no copies)", () => {
    const store = createStore<JsonValue>({ value: { n: 0 } })
    const inspector = createInspector(store)
    store.set('/n', 1)
    expect(inspector.entries()[0]!.patch).toBe(store.log()[0]!.patch)
    expect(inspector.entries()[0]!.inverse).toBe(store.log()[0]!.inverse)
  })
})

describe('export and import', () => {
  it('export → import into a fresh store gives the same document at every revision', () => {
    const store = createStore<JsonValue>({ value: { list: [], n: 0 } })
    const a = createInspector(store)
    store.apply([{ op: 'add', path: '/list/-', value: { t: 'a' } }], { label: 'add a' })
    store.set('/n', 3)
    store.apply([{ op: 'move', from: '/list/0', path: '/first' }])
    a.toggle(2)
    const log = JSON.parse(JSON.stringify(a.export()))
    const fresh = createStore<JsonValue>()
    const b = createInspector(fresh)
    b.import(JSON.stringify(log))
    expect(fresh.get()).toEqual(store.get())
    expect(b.entries().map((e) => [e.id, e.label, e.skipped])).toEqual(a.entries().map((e) => [e.id, e.label, e.skipped]))
    for (const id of [0, 1, 2, 3]) expect(b.valueAt(id)).toEqual(a.valueAt(id))
    expect(b.export()).toEqual(log)
    // New writes after an import get ids past the imported ones.
    fresh.set('/n', 9)
    expect(b.entries().at(-1)!.id).toBe(4)
  })

  it.each([
    ['not JSON', '{', /not JSON/],
    ['another format', { format: 'redux', version: 1, base: { id: 0, value: {} }, revisions: [] }, /format is 'patchdb-log'/],
    ['a newer version', { format: 'patchdb-log', version: 2, base: { id: 0, value: {} }, revisions: [] }, /version 1/],
    ['a base that is not a dump', { format: 'patchdb-log', version: 1, base: 5, revisions: [] }, /base is a dump/],
    ['revisions that are not a list', { format: 'patchdb-log', version: 1, base: { id: 0, value: {} }, revisions: {} }, /revisions is an array/],
    ['a prototype path', log([{ op: 'add', path: '/__proto__/x', value: 1 }]), /unsafe segment '__proto__'/],
    ['an unknown op', log([{ op: 'eval', path: '/x' }]), /revisions\[0\]\.patch\[0\]\.op/],
    ['a value too deep', log([{ op: 'add', path: '/x', value: deep(5000) }]), /revisions\[0\]\.patch\[0\]\.value is not plain JSON/],
    ['a negative id', { ...log([]), revisions: [{ id: -1, patch: [], time: 0, origin: 'local', skipped: false }] }, /revisions\[0\]\.id/],
    ['a duplicate id', { ...log([]), revisions: [rev(1), rev(1)] }, /appears twice/],
    ['an origin it does not know', { ...log([]), revisions: [{ ...rev(1), origin: 'evil' }] }, /origin is one of/],
  ])('import refuses %s with a clear error and leaves the store as it was', (_, input, message) => {
    const store = createStore<JsonValue>({ value: { n: 1 } })
    const inspector = createInspector(store)
    store.set('/n', 2)
    expect(() => inspector.import(input)).toThrow(message)
    expect(store.get()).toEqual({ n: 2 })
    expect(store.revision).toBe(1)
    expect(inspector.entries()).toHaveLength(1)
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })
})

function rev(id: number) {
  return { id, patch: [], time: 0, origin: 'local', skipped: false }
}
function log(patch: unknown[]) {
  return { format: 'patchdb-log', version: 1, base: { id: 0, value: {} }, revisions: [{ id: 1, patch, time: 0, origin: 'local', skipped: false }] }
}
function deep(n: number): unknown {
  let v: unknown = 0
  for (let i = 0; i < n; i++) v = [v]
  return v
}

describe('render attribution', () => {
  it("render attribution: per revision, which pointers' watchers were called and how many", () => {
    const store = createStore<JsonValue>({ value: { a: 1, b: 1 } })
    const inspector = createInspector(store)
    store.watch('/a', () => {})
    store.watch('/a', () => {})
    store.watch('/b', () => {})
    store.watch('', () => {})
    store.set('/a', 2)
    const calls = inspector.entries()[0]!.calls!
    expect(calls.watchers).toBe(3)
    expect(new Map(calls.pointers.map((p) => [p.pointer, p.calls]))).toEqual(
      new Map([
        ['', 1],
        ['/a', 2],
      ]),
    )
    expect(calls.ms).toBeGreaterThanOrEqual(0)
  })

  it('each entry is timed (a Date.now() value) when its watchers ran, or when recorded if it is never dispatched (while travelling)', async () => {
    const store = createStore<JsonValue>({ value: { n: 0 } })
    const inspector = createInspector(store)
    let during = 0 // read by a watcher, while the revision's dispatch is under way
    store.watch('/n', () => void (during ||= inspector.entries().at(-1)!.time))
    await new Promise((resolve) => setTimeout(resolve, 100)) // entries are not timed when the inspector was made
    const start = Date.now()
    store.set('/n', 1)
    inspector.jump(0)
    store.update({ id: 2, patch: [{ op: 'replace', path: '/n', value: 2 }] })
    const end = Date.now()
    const [local, server] = inspector.entries()
    expect(local!.calls).toBeDefined()
    expect(server!.calls).toBeUndefined() // recorded while a view was shown: never dispatched
    // The dispatch clock (performance.now from timeOrigin) may drift from Date.now by a few ms.
    for (const time of [local!.time, server!.time, during]) {
      expect(time).toBeGreaterThanOrEqual(start - 20)
      expect(time).toBeLessThanOrEqual(end + 20)
    }
    expect(inspector.export().revisions.map((r) => r.time)).toEqual([local!.time, server!.time])
  })

  it('each revision keeps its own attribution as older entries leave the list, and through skips, moves and commits', () => {
    const store = createStore<JsonValue>({ value: { rows: [0, 0, 0, 0, 0, 0, 0, 0] } })
    const inspector = createInspector(store, { limit: 3 })
    // Row i has i + 1 watchers, so each revision's count says which row it wrote.
    for (let i = 0; i < 8; i++) for (let k = 0; k <= i; k++) store.watch(`/rows/${i}`, () => {})
    const attributed = () => inspector.entries().filter((e) => e.calls).map((e) => [e.id, e.calls!.pointers.find((p) => p.pointer.startsWith('/rows/'))?.calls])
    for (let i = 0; i < 8; i++) {
      store.set(`/rows/${i}`, 1)
      expect(attributed()).toEqual(inspector.entries().map((e) => [e.id, e.id]))
    }
    inspector.toggle(7)
    inspector.reorder(6, null)
    expect(attributed()).toEqual([
      [7, 7],
      [8, 8],
      [6, 6],
    ])
    inspector.commit()
    store.set('/rows/2', 2)
    expect(attributed()).toEqual([[store.revision, 3]])
  })
})

describe('pause, touching, close', () => {
  it('pause stops recording; what changed meanwhile is one entry, so replays still reach the head', () => {
    const store = createStore<JsonValue>({ value: { n: 0, m: 0 } })
    const inspector = createInspector(store)
    store.set('/n', 1)
    inspector.pause(true)
    store.set('/m', 1)
    store.set('/m', 2)
    inspector.pause(false)
    store.set('/n', 2)
    const entries = inspector.entries()
    expect(entries).toHaveLength(3)
    expect(entries[1]!.label).toBe('unrecorded (recording paused)')
    inspector.toggle(entries[0]!.id)
    expect(store.get()).toEqual({ n: 2, m: 2 })
    inspector.jump(entries[1]!.id)
    expect(store.get()).toEqual({ n: 0, m: 2 })
  })

  it('a skip made while paused is a write of the inspector, not an unrecorded change of the app', () => {
    const store = createStore<JsonValue>({ value: { n: 0 } })
    const inspector = createInspector(store)
    store.set('/n', 1)
    inspector.pause(true)
    const [only] = inspector.entries()
    inspector.toggle(only!.id)
    inspector.pause(false)
    expect(store.get()).toEqual({ n: 0 })
    expect(inspector.entries().map((e) => [e.id, e.skipped])).toEqual([[only!.id, true]])
    // Restoring it replays the base plus the entry: the store is where the app left it.
    inspector.toggle(only!.id)
    expect(store.get()).toEqual({ n: 1 })
  })

  it('the base is worked out when read: after entries leave the list it is the document before the oldest kept one', () => {
    const store = createStore<JsonValue>({ value: { n: 0 } }, { history: 1000 })
    const inspector = createInspector(store, { limit: 3 })
    for (let i = 1; i <= 10; i++) store.set('/n', i)
    expect(inspector.base()).toEqual({ id: 7, value: { n: 7 } })
    inspector.toggle(inspector.entries()[0]!.id)
    expect(store.get()).toEqual({ n: 10 })
    for (let i = 11; i <= 12; i++) store.set('/n', i)
    // Entries 8 (skipped) and 9 left: the base is the document after 9 in the replay, the head minus entries 10, 12 and 13.
    expect(inspector.base()).toEqual({ id: 9, value: { n: 9 } })
  })

  it('touching lists the entries that changed a pointer, with patches scoped to it (index-aware)', () => {
    const store = createStore<JsonValue>({ value: { list: ['a', 'b'], other: 0 } })
    const inspector = createInspector(store)
    store.set('/other', 1)
    store.apply([{ op: 'remove', path: '/list/0' }])
    store.set('/list/0', 'c')
    expect(inspector.touching('/list/1')).toEqual([{ id: 2, patch: [{ op: 'remove', path: '' }] }])
    expect(inspector.touching('/list/0')).toEqual([
      { id: 2, patch: [{ op: 'replace', path: '', value: 'b' }] },
      { id: 3, patch: [{ op: 'replace', path: '', value: 'c' }] },
    ])
    expect(() => inspector.touching('/constructor/x')).toThrow(/unsafe/)
  })

  it('close lifts the view and detaches; one inspector per store at a time', () => {
    const store = createStore<JsonValue>({ value: { n: 0 } })
    const inspector = createInspector(store)
    store.set('/n', 1)
    inspector.jump(0)
    expect(errorCode(() => createInspector(store))).toBe('ARGUMENT_INVALID')
    inspector.close()
    expect(store.get('/n')).toBe(1)
    expect(store.set('/n', 2)?.id).toBe(2)
    expect(errorCode(() => inspector.jump(0))).toBe('ARGUMENT_INVALID')
    const again = createInspector(store)
    store.set('/n', 3)
    expect(again.entries().map((e) => e.id)).toEqual([3])
  })
})

describe('touching', () => {
  it('a deep-equal value shifted into place is no change to the pointer', () => {
    const store = createStore<JsonValue>({ value: { l: [{ x: 1 }, { x: 1 }, { x: 2 }] } })
    const inspector = createInspector(store)
    store.apply([{ op: 'remove', path: '/l/0' }]) // /l/0 is now the other { x: 1 }: another object, equal
    store.set('/l/0/x', 3)
    expect(inspector.touching('/l/0').map((e) => e.id)).toEqual([2])
    expect(inspector.touching('/l/1').map((e) => e.id)).toEqual([1])
  })
})

describe('watchers that write', () => {
  it("a watcher's write in reaction to devtools' own revision or to live() is recorded, so the replay still reaches the head", () => {
    const store = createStore<JsonValue>({ value: { n: 0, echo: 0 } })
    const inspector = createInspector(store)
    // Keeps /echo equal to /n: an app's reaction, not devtools'.
    store.watch('/n', (n) => void (store.get('/echo') !== n && store.set('/echo', n as number)))
    store.set('/n', 1)
    store.set('/n', 2)
    expect(inspector.entries()).toHaveLength(4)
    inspector.toggle(3) // skip n = 2: the head's /n is 1, the watcher echoes it
    expect(store.get()).toEqual({ n: 1, echo: 1 })
    const entries = inspector.entries()
    expect(entries.at(-1)!.patch).toEqual([{ op: 'replace', path: '/echo', value: 1 }])
    // The invariant: base + entries in the head = the store's document.
    inspector.jump(entries.at(-1)!.id)
    expect(store.get()).toEqual({ n: 1, echo: 1 })
    inspector.live()
    inspector.reset()
    expect(store.get()).toEqual({ n: 0, echo: 0 })
    expect(inspector.entries()).toEqual([]) // the base already has echo = n: the watcher writes nothing
  })
})

describe('travel and the undo manager', () => {
  it('travel is not an undo step: after jump and live, undo undoes the last write', () => {
    const store = createStore<JsonValue>({ value: { n: 0 } })
    const undo = createUndoManager(store)
    const inspector = createInspector(store)
    store.set('/n', 1)
    store.set('/n', 2)
    const travels: boolean[] = []
    const stop = store.subscribe((r) => travels.push(isTravel(r)))
    inspector.jump(0)
    inspector.live()
    stop()
    expect(travels).toEqual([true, true])
    expect(undo.state().canRedo).toBe(false)
    undo.undo()
    expect(store.get('/n')).toBe(1)
    undo.undo()
    expect(store.get('/n')).toBe(0)
    expect(undo.canUndo()).toBe(false)
    expect(store.log().every((e) => !isTravel(e))).toBe(true)
  })

  it("while travelling, undo and redo are off (no head's label shown), refused with TIME_TRAVEL, and the steps wait for live()", () => {
    const store = createStore<JsonValue>({ value: { n: 0 } })
    const undo = createUndoManager(store, { describe: (step) => `set n ${step.patch[0]!.op === 'replace' ? (step.patch[0] as { value: number }).value : '?'}` })
    const inspector = createInspector(store)
    store.set('/n', 1)
    store.set('/n', 2)
    undo.undo()
    expect(undo.state()).toEqual({ canUndo: true, canRedo: true, undoLabel: 'set n 1', redoLabel: 'set n 2' })
    const heard: unknown[] = []
    undo.subscribe(() => heard.push(undo.state()))

    // Also a view of a document equal to the head: writes are refused all the same.
    for (const id of [1, inspector.entries().at(-1)!.id]) {
      inspector.jump(id)
      expect(undo.state()).toEqual({ canUndo: false, canRedo: false, undoLabel: undefined, redoLabel: undefined })
      expect([undo.canUndo(), undo.canRedo()]).toEqual([false, false])
      expect(errorCode(() => undo.undo())).toBe('TIME_TRAVEL')
      expect(errorCode(() => undo.redo())).toBe('TIME_TRAVEL')
      inspector.live()
      expect(undo.state()).toEqual({ canUndo: true, canRedo: true, undoLabel: 'set n 1', redoLabel: 'set n 2' })
    }
    expect(heard.length).toBeGreaterThanOrEqual(4) // a UI re-renders on each change
    undo.redo()
    expect(store.get('/n')).toBe(2)
  })
})
