import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createStore, getPath, MAX_NESTED_WRITES, PatchError, type ErrorContext, type Revision } from 'patchdb'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('rule 11, watchers cannot hurt the store: onError, a throwing watcher cannot hurt the store or its host', () => {
  it('gets what watchers and subscribers throw, with the pointer and revision; the others still run', () => {
    const got: [unknown, ErrorContext][] = []
    const store = createStore({ value: { a: { b: 0 } } }, { onError: (e, c) => got.push([e, c]) })
    const seen: string[] = []
    store.watch('/a/b', () => {
      throw new Error('watcher')
    })
    store.watch('/a/b', (v) => seen.push(`watch ${v}`))
    store.subscribe(() => {
      throw new Error('subscriber')
    })
    store.subscribe((r) => seen.push(`subscribe ${r.id}`))
    expect(store.set('/a/b', 1)?.id).toBe(1)
    expect(store.get()).toEqual({ a: { b: 1 } })
    expect(seen).toEqual(['watch 1', 'subscribe 1'])
    expect(got.map(([e, c]) => [(e as Error).message, c.kind, c.path, c.revision.id])).toEqual([
      ['watcher', 'watcher', '/a/b', 1],
      ['subscriber', 'subscriber', undefined, 1],
    ])
  })

  it('by default logs to the console and calls reportError where the host has one, and never rethrows', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const reported: unknown[] = []
    const g = globalThis as { reportError?: (e: unknown) => void }
    const had = Object.hasOwn(g, 'reportError')
    const previous = g.reportError
    g.reportError = (e) => reported.push(e)
    const uncaught: unknown[] = []
    const onUncaught = (e: unknown) => uncaught.push(e)
    process.on('uncaughtException', onUncaught)
    try {
      const store = createStore({ value: { a: 0 } })
      const boom = new Error('boom')
      store.watch('/a', () => {
        throw boom
      })
      store.set('/a', 1)
      expect(logged).toHaveBeenCalledTimes(1)
      expect(String(logged.mock.calls[0]![0])).toContain(`a watcher of '/a' threw during revision 1`)
      expect(logged.mock.calls[0]![1]).toBe(boom)
      expect(reported).toEqual([boom])
      await new Promise((r) => setTimeout(r, 20)) // a rethrow from a microtask or timer would land here
      expect(uncaught).toEqual([])
    } finally {
      process.off('uncaughtException', onUncaught)
      if (had) g.reportError = previous
      else delete g.reportError
    }
  })

  it('an onError that throws is reported to the console with the original error, and breaks nothing', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const uncaught: unknown[] = []
    const onUncaught = (e: unknown) => uncaught.push(e)
    process.on('uncaughtException', onUncaught)
    try {
      const store = createStore(
        { value: { a: 0 } },
        {
          onError: () => {
            throw new Error('handler broke')
          },
        },
      )
      const seen: number[] = []
      store.watch('/a', () => {
        throw new Error('watcher broke')
      })
      store.watch('/a', (v) => seen.push(v as number))
      expect(store.set('/a', 1)?.id).toBe(1)
      expect(store.set('/a', 2)?.id).toBe(2)
      expect(seen).toEqual([1, 2])
      expect(logged).toHaveBeenCalledTimes(2)
      const reported = logged.mock.calls[0]![1] as AggregateError
      expect(reported.errors.map((e: Error) => e.message)).toEqual(['watcher broke', 'handler broke'])
      await new Promise((r) => setTimeout(r, 20))
      expect(uncaught).toEqual([])
    } finally {
      process.off('uncaughtException', onUncaught)
    }
  })

  it('gets what was thrown as it was thrown, also undefined or a string; onError may write to the store', () => {
    const got: unknown[] = []
    const store = createStore({ value: { a: 0, errors: 0 } }, {
      onError: (e) => {
        got.push(e)
        store.set('/errors', got.length)
      },
    })
    store.watch('/a', () => {
      throw undefined
    })
    store.watch('/a', () => {
      throw 'a string'
    })
    store.set('/a', 1)
    expect(got).toEqual([undefined, 'a string'])
    expect(store.get()).toEqual({ a: 1, errors: 2 })
  })

  it('a console that throws as well is survived', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {
      throw new Error('console broke')
    })
    const store = createStore({ value: { a: 0 } })
    store.watch('/a', () => {
      throw new Error('watcher broke')
    })
    expect(store.set('/a', 1)?.id).toBe(1)
    expect(store.get('/a')).toBe(1)
  })
})

describe('rule 11, watchers cannot hurt the store: re-entrant writes from watchers are capped', () => {
  it(`a watcher that writes forever stops after ${MAX_NESTED_WRITES} nested writes with a WATCHER_LOOP error`, () => {
    const errors: unknown[] = []
    const store = createStore({ value: { n: 0 } }, { onError: (e) => errors.push(e) })
    const stop = store.watch('/n', (n) => void store.set('/n', (n as number) + 1))
    store.set('/n', 1)
    // The write from outside is revision 1; each watcher write nests one level deeper.
    expect(store.revision).toBe(1 + MAX_NESTED_WRITES)
    expect(store.get('/n')).toBe(1 + MAX_NESTED_WRITES)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(PatchError)
    expect((errors[0] as PatchError).code).toBe('WATCHER_LOOP')
    expect(String(errors[0])).toMatch(/nested 1000 deep/)
    // Nothing is left in a dispatching state: the store writes and notifies as before.
    stop()
    const seen: unknown[] = []
    store.watch('/n', (v) => seen.push(v))
    store.set('/n', -1)
    expect(seen).toEqual([-1])
  })

  it('the refused write changes nothing, and the watcher can catch it', () => {
    const store = createStore({ value: { n: 0, log: [] as number[] } }, { onError: () => expect.unreachable() })
    const caught: string[] = []
    store.watch('/n', (n) => {
      try {
        store.apply([
          { op: 'add', path: '/log/-', value: n as number },
          { op: 'replace', path: '/n', value: (n as number) + 1 },
        ])
      } catch (e) {
        caught.push((e as PatchError).code)
      }
    })
    store.set('/n', 1)
    expect(caught).toEqual(['WATCHER_LOOP'])
    expect(store.get('/log')).toHaveLength(MAX_NESTED_WRITES)
    expect(store.log().at(-1)!.id).toBe(store.revision)
  })

  it(`writes nested exactly ${MAX_NESTED_WRITES} deep all apply`, () => {
    const store = createStore({ value: { left: 0 } }, { onError: () => expect.unreachable() })
    store.watch('/left', (left) => {
      if ((left as number) > 0) store.set('/left', (left as number) - 1)
    })
    store.set('/left', MAX_NESTED_WRITES)
    expect(store.get('/left')).toBe(0)
    expect(store.revision).toBe(MAX_NESTED_WRITES + 1)
  })

  it('fan-out is not nesting: 2,000 watchers each writing once in one dispatch all apply', () => {
    const store = createStore({ value: { go: 0, out: [] as number[] } }, { onError: () => expect.unreachable() })
    for (let i = 0; i < 2000; i++) store.watch('/go', () => void store.apply([{ op: 'add', path: '/out/-', value: i }]))
    store.set('/go', 7)
    expect(store.get('/out')).toEqual(Array.from({ length: 2000 }, (_, i) => i))
    expect(store.revision).toBe(2001)
  })

  it('update() and transact() from a looping watcher are capped too', () => {
    const errors: PatchError[] = []
    const store = createStore({ value: { n: 0 } }, { onError: (e) => errors.push(e as PatchError) })
    store.watch('/n', () => void store.transact((tx) => tx.set('/n', (tx.get('/n') as number) + 1)))
    store.set('/n', 1)
    expect(errors.map((e) => e.code)).toEqual(['WATCHER_LOOP'])
    const replica = createStore({ value: { n: 0 } }, { onError: (e) => errors.push(e as PatchError) })
    replica.watch('/n', (n, r) => void replica.update({ id: r.id + 1, patch: [{ op: 'replace', path: '/n', value: (n as number) + 1 }] }))
    replica.set('/n', 1)
    expect(errors.map((e) => e.code)).toEqual(['WATCHER_LOOP', 'WATCHER_LOOP'])
    expect(replica.revision).toBe(1 + MAX_NESTED_WRITES)
  })
})

describe('rule 11, watchers cannot hurt the store: dispatch edge cases: after unsubscribe() returns, never called; added during a dispatch, starts with the next revision', () => {
  it('a watcher that unsubscribes a later watcher of the same pointer: that one is not called', () => {
    const store = createStore({ value: { a: 0 } })
    const seen: string[] = []
    let stopB = () => {}
    store.watch('/a', () => {
      seen.push('a')
      stopB()
    })
    stopB = store.watch('/a', () => seen.push('b'))
    store.watch('/a', () => seen.push('c'))
    store.set('/a', 1)
    store.set('/a', 2)
    expect(seen).toEqual(['a', 'c', 'a', 'c'])
    expect(store.stats().watchers).toBe(2)
  })

  it('a watcher that unsubscribes itself and its next neighbour: the walk goes on to the rest', () => {
    const store = createStore({ value: { a: 0 } })
    const seen: string[] = []
    const stops: (() => void)[] = []
    stops.push(
      store.watch('/a', () => {
        seen.push('a')
        stops[0]!()
        stops[1]!()
        stops[2]!()
      }),
    )
    stops.push(store.watch('/a', () => seen.push('b')))
    stops.push(store.watch('/a', () => seen.push('c')))
    stops.push(store.watch('/a', () => seen.push('d')))
    store.set('/a', 1)
    store.set('/a', 2)
    expect(seen).toEqual(['a', 'd', 'd'])
  })

  it('a watcher unsubscribed by a watcher of another pointer during the dispatch is not called', () => {
    const store = createStore({ value: { a: { b: 0 } } })
    const seen: string[] = []
    const stopDeep = store.watch('/a/b', () => seen.push('deep'))
    store.watch('', () => {
      seen.push('root')
      stopDeep()
    })
    store.set('/a/b', 1)
    expect(seen).toEqual(['root'])
    expect(store.stats()).toMatchObject({ watchers: 1, nodes: 1 })
  })

  it('a subscriber unsubscribed during the dispatch, by a watcher or an earlier subscriber, is not called', () => {
    const store = createStore({ value: { a: 0 } })
    const seen: string[] = []
    let stopS1 = () => {}
    let stopS3 = () => {}
    store.watch('/a', () => stopS1())
    stopS1 = store.subscribe(() => seen.push('s1'))
    store.subscribe(() => {
      seen.push('s2')
      stopS3()
    })
    stopS3 = store.subscribe(() => seen.push('s3'))
    store.set('/a', 1)
    expect(seen).toEqual(['s2'])
    expect(store.stats().subscribers).toBe(1)
  })

  it('a watcher added during a dispatch, on the same pointer or another, hears only the next revision', () => {
    const store = createStore({ value: { a: 0, b: 0 } })
    const seen: string[] = []
    let added = false
    store.watch('/a', (_, r) => {
      if (added) return
      added = true
      store.watch('/a', (v, r2) => seen.push(`same ${v}@${r2.id}`))
      store.watch('/b', (v, r2) => seen.push(`other ${v}@${r2.id}`))
      store.watch('', (_v, r2) => seen.push(`root @${r2.id}`))
      seen.push(`added during ${r.id}`)
    })
    store.apply([
      { op: 'replace', path: '/a', value: 1 },
      { op: 'replace', path: '/b', value: 1 },
    ])
    expect(seen).toEqual(['added during 1'])
    store.apply([
      { op: 'replace', path: '/a', value: 2 },
      { op: 'replace', path: '/b', value: 2 },
    ])
    expect(seen).toEqual(['added during 1', 'root @2', 'same 2@2', 'other 2@2'])
  })

  it('a subscriber added during a dispatch starts with the next revision', () => {
    const store = createStore({ value: { a: 0 } })
    const seen: number[] = []
    let added = false
    store.subscribe(() => {
      if (added) return
      added = true
      store.subscribe((r) => seen.push(r.id))
    })
    store.set('/a', 1)
    expect(seen).toEqual([])
    store.set('/a', 2)
    expect(seen).toEqual([2])
  })

  it('a watcher added after a watcher wrote does not get that queued revision; one added before does', () => {
    const store = createStore({ value: { a: 0, b: 0 } })
    const seen: string[] = []
    let once = true
    store.watch('/a', () => {
      if (!once) return
      once = false
      store.watch('/b', (v, r) => seen.push(`before ${v}@${r.id}`))
      store.set('/b', 1) // revision 2, queued behind revision 1
      store.watch('/b', (v, r) => seen.push(`after ${v}@${r.id}`))
    })
    store.set('/a', 1)
    expect(seen).toEqual(['before 1@2'])
    store.set('/b', 2)
    expect(seen).toEqual(['before 1@2', 'before 2@3', 'after 2@3'])
  })

  it('unsubscribing and subscribing again during a dispatch is a new watcher: not called in it', () => {
    const store = createStore({ value: { a: 0 } })
    const calls: number[] = []
    const fn = (v: unknown) => calls.push(v as number)
    let stop = () => {}
    store.watch('/a', () => {
      stop()
      stop = store.watch('/a', fn)
    })
    stop = store.watch('/a', fn)
    store.set('/a', 1)
    expect(calls).toEqual([])
    store.set('/a', 2)
    expect(calls).toEqual([])
    expect(store.stats().watchers).toBe(2)
  })

  it('an observer that unsubscribes another during a dispatch: no value after unsubscribe() returned', () => {
    const store = createStore({ value: { a: 0 } })
    const seen: number[] = []
    let second: { unsubscribe(): void } | null = null
    store.observe('/a').subscribe((v) => {
      if (v === 1) second!.unsubscribe()
    })
    second = store.observe('/a').subscribe((v) => seen.push(v as number))
    store.set('/a', 1)
    expect(seen).toEqual([0])
  })
})

// Who is called, under random interleavings of subscribe, unsubscribe and writes, also from
// inside watchers, with many watchers on one pointer and others on distinct ones.
describe('rule 11, watchers cannot hurt the store: subscribe and unsubscribe under random interleavings', () => {
  const targets = ['', '/a', '/a/x', '/a/y', '/b', '/c', null] as const // null: store.subscribe
  const write = fc.oneof(
    fc.record({ path: fc.constantFrom('/a/x', '/a/y', '/b', '/c'), value: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ path: fc.constant('/a'), value: fc.record({ x: fc.integer({ min: 0, max: 2 }), y: fc.integer({ min: 0, max: 2 }) }) }),
    fc.record({ path: fc.constant('-c'), value: fc.constant(null) }), // remove /c if present
  )
  type Write = { path: string; value: unknown }
  // What a watcher does the first time it is called.
  const reaction = fc.oneof(
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
    // Small offsets often hit a watcher subscribed just after it: often one of the same pointer.
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('unsub' as const), offset: fc.nat(60) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('sub' as const), at: fc.nat(targets.length - 1) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('write' as const), write }) },
  )
  const command = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('sub' as const), at: fc.nat(targets.length - 1), then: reaction }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('unsub' as const), target: fc.nat(60) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('write' as const), write }) },
  )
  type Reaction = typeof reaction extends fc.Arbitrary<infer R> ? R : never
  type Command = typeof command extends fc.Arbitrary<infer C> ? C : never

  interface Tracked {
    pointer: string | null
    /** The store's revision when it subscribed: never called with this one or older. */
    since: number
    /** Called with no revision >= cutoff. */
    cutoff: number
    /** The revision during whose dispatch it was unsubscribed: called at most once with it. */
    stoppedDuring: number
    stopped: boolean
    calls: Map<number, number>
    values: Map<number, unknown>
    then: Reaction
    reacted: boolean
    stop: () => void
  }

  it('calls exactly the watchers whose value changed, live for the whole dispatch; never after unsubscribe; leaks nothing', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), (commands: Command[]) => {
        const violations: string[] = []
        const store = createStore({ value: { a: { x: 0, y: 0 }, b: 0 } as Record<string, unknown> }, { history: 0, onError: (e) => violations.push(String(e)) })
        const docs: unknown[] = [store.get()]
        // Registered first on the root, it runs first for every revision: the document as of it.
        const stopRecorder = store.watch('', (doc, r) => void (docs[r.id] = doc))
        const all: Tracked[] = []

        const apply = (w: Write) => {
          if (w.path === '-c') {
            if (store.get('/c') !== undefined) store.apply([{ op: 'remove', path: '/c' }])
          } else store.set(w.path, w.value as never)
        }
        const unsubscribe = (target: number, during: number) => {
          if (all.length === 0) return
          const t = all[target % all.length]!
          t.stop()
          if (t.stopped) return
          t.stopped = true
          if (during >= 0) {
            t.stoppedDuring = during
            t.cutoff = during + 1
          } else t.cutoff = store.revision + 1
        }
        const subscribe = (at: number, then: Reaction) => {
          const pointer = targets[at]!
          const t: Tracked = {
            pointer,
            since: store.revision,
            cutoff: Infinity,
            stoppedDuring: -1,
            stopped: false,
            calls: new Map(),
            values: new Map(),
            then,
            reacted: false,
            stop: () => {},
          }
          const called = (value: unknown, r: Revision) => {
            if (t.stopped) violations.push(`called with ${r.id} after unsubscribe`)
            t.calls.set(r.id, (t.calls.get(r.id) ?? 0) + 1)
            t.values.set(r.id, value)
            // Unsubscribing again is harmless, so that reaction repeats; the others, once.
            if (t.then.kind === 'unsub') unsubscribe(all.indexOf(t) + t.then.offset, r.id)
            if (t.reacted) return
            t.reacted = true
            if (t.then.kind === 'sub') subscribe(t.then.at, { kind: 'none' })
            if (t.then.kind === 'write') apply(t.then.write)
          }
          t.stop = pointer === null ? store.subscribe((r) => called(undefined, r)) : store.watch(pointer, called)
          all.push(t)
        }

        for (const c of commands) {
          if (c.kind === 'sub') subscribe(c.at, c.then)
          else if (c.kind === 'unsub') unsubscribe(c.target, -1)
          else apply(c.write)
        }

        expect(violations).toEqual([])
        for (let r = 1; r <= store.revision; r++) {
          for (const t of all) {
            const calls = t.calls.get(r) ?? 0
            const changed = t.pointer === null || getPath(docs[r - 1], t.pointer) !== getPath(docs[r], t.pointer)
            const live = r > t.since && r < t.cutoff
            if (!live) expect(calls, `revision ${r} reached a watcher outside its lifetime`).toBe(0)
            else if (t.stoppedDuring === r) expect(calls).toBeLessThanOrEqual(1)
            else expect(calls, `revision ${r}, ${t.pointer ?? 'subscriber'}`).toBe(changed ? 1 : 0)
            if (calls && t.pointer !== null) expect(t.values.get(r)).toBe(getPath(docs[r], t.pointer))
          }
        }

        for (const t of all) t.stop()
        stopRecorder()
        expect(store.stats()).toMatchObject({ watchers: 0, nodes: 1, subscribers: 0 })
      }),
      { numRuns: 1000 },
    )
  })
})
