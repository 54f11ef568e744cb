// @vitest-environment jsdom
import { Component, StrictMode, type ReactNode } from 'react'
import { act, cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PatchError, type Dump, type Store, type UpdateResult } from 'patchdb'
import { PatchProvider, usePatch, useStore } from 'patchdb/react'

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

interface Doc {
  todos: string[]
}
const dump = (id: number, ...todos: string[]): Dump<Doc> => ({ id, value: { todos } })

let seenStore: Store | null = null
function Todos() {
  seenStore = useStore()
  return <output>{(usePatch('/todos') as string[]).join(',')}</output>
}
const shown = (c: HTMLElement) => c.querySelector('output')!.textContent

/** What a Server Component layout does: render the provider with the server's current dump. */
function Layout({ of, onUpdate }: { of: Dump<Doc>; onUpdate?: (r: UpdateResult, d: Dump<Doc>) => void }) {
  return (
    <PatchProvider dump={of} onUpdate={onUpdate}>
      <Todos />
    </PatchProvider>
  )
}

class Boundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state = { error: null as unknown }
  static getDerivedStateFromError(error: unknown) {
    return { error }
  }
  override render() {
    return this.state.error ? <p role="alert">{(this.state.error as PatchError).code}</p> : this.props.children
  }
}

describe('PatchProvider with a dump prop that changes', () => {
  it('a newer dump prop (a re-render after a Server Action) is applied and shown', () => {
    const onUpdate = vi.fn()
    const { container, rerender } = render(<Layout of={dump(1, 'a')} onUpdate={onUpdate} />)
    const store = seenStore!
    rerender(<Layout of={dump(3, 'a', 'b')} onUpdate={onUpdate} />)
    expect(shown(container)).toBe('a,b')
    expect(seenStore).toBe(store) // the same store moved forward; nothing was remounted
    expect(store.revision).toBe(3)
    expect(onUpdate).toHaveBeenCalledTimes(1)
    expect(onUpdate).toHaveBeenCalledWith({ status: 'applied', revision: 3 }, dump(3, 'a', 'b'))
  })

  it('a dump prop whose id did not move forward is not handed to the store', () => {
    const onUpdate = vi.fn()
    const { container, rerender } = render(<Layout of={dump(2, 'a')} onUpdate={onUpdate} />)
    rerender(<Layout of={dump(2, 'changed under the same id')} onUpdate={onUpdate} />)
    rerender(<Layout of={dump(1, 'older')} onUpdate={onUpdate} />)
    expect(shown(container)).toBe('a')
    expect(seenStore!.revision).toBe(2)
    expect(onUpdate).not.toHaveBeenCalled()
  })

  it('a newer dump that is older than the store (local writes) is refused and reported to onUpdate', () => {
    const onUpdate = vi.fn()
    const { container, rerender } = render(<Layout of={dump(1, 'a')} onUpdate={onUpdate} />)
    act(() => {
      seenStore!.set('/todos', ['local 1'])
      seenStore!.set('/todos', ['local 1', 'local 2'])
    })
    expect(seenStore!.revision).toBe(3)
    rerender(<Layout of={dump(2, 'server')} onUpdate={onUpdate} />)
    expect(shown(container)).toBe('local 1,local 2')
    expect(onUpdate).toHaveBeenCalledWith({ status: 'stale', revision: 3 }, dump(2, 'server'))
    // The server's revision 3 is not the store's local revision 3: refused too, not taken as the same.
    rerender(<Layout of={dump(3, 'server')} onUpdate={onUpdate} />)
    expect(shown(container)).toBe('local 1,local 2')
    expect(onUpdate).toHaveBeenLastCalledWith({ status: 'stale', revision: 3 }, dump(3, 'server'))
  })

  it('without onUpdate, a dump that was not applied is reported with console.warn, never silently dropped', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { rerender } = render(<Layout of={dump(1, 'a')} />)
    act(() => void seenStore!.set('/todos', ['x']))
    act(() => void seenStore!.set('/todos', ['y']))
    rerender(<Layout of={dump(2, 'server')} />)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]![0]).toMatch(/dump prop at revision 2 was not applied \(stale\); the store stays at revision 3/)
    rerender(<Layout of={dump(4, 'server')} />)
    expect(warn).toHaveBeenCalledTimes(1) // applied: nothing to say
  })

  it('a newer dump prop the store already reached through server revisions is a duplicate, not a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const onUpdate = vi.fn()
    const { container, rerender } = render(<Layout of={dump(1, 'a')} />)
    // What a route handler's answer does: the server's revision 2, applied under its id.
    act(() => void seenStore!.update({ id: 2, patch: [{ op: 'add', path: '/todos/-', value: 'b' }] }))
    rerender(<Layout of={dump(2, 'a', 'b')} />)
    rerender(<Layout of={dump(2, 'a', 'b')} onUpdate={onUpdate} />)
    expect(shown(container)).toBe('a,b')
    expect(warn).not.toHaveBeenCalled()
    expect(onUpdate).not.toHaveBeenCalled() // id 2 was already handed over once
  })

  it('StrictMode: the first dump is not applied again and a newer one is applied exactly once', () => {
    const onUpdate = vi.fn()
    const tree = (of: Dump<Doc>) => (
      <StrictMode>
        <Layout of={of} onUpdate={onUpdate} />
      </StrictMode>
    )
    const { container, rerender } = render(tree(dump(5, 'a')))
    expect(onUpdate).not.toHaveBeenCalled()
    rerender(tree(dump(6, 'b')))
    expect(shown(container)).toBe('b')
    expect(onUpdate).toHaveBeenCalledTimes(1)
    expect(seenStore!.log().map((e) => e.id)).toEqual([6])
  })

  it('a malformed newer dump fails loudly through the error boundary and the store keeps its state', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {}) // React logs caught render errors
    const onUpdate = vi.fn()
    const { container, rerender } = render(
      <Boundary>
        <Layout of={dump(1, 'a')} onUpdate={onUpdate} />
      </Boundary>,
    )
    const store = seenStore!
    const hostile = { id: 2, value: { todos: [() => 'not json'] } } as unknown as Dump<Doc>
    rerender(
      <Boundary>
        <Layout of={hostile} onUpdate={onUpdate} />
      </Boundary>,
    )
    expect(container.querySelector('[role=alert]')!.textContent).toBe('VALUE_INVALID')
    expect(store.revision).toBe(1)
    expect(store.get()).toEqual({ todos: ['a'] })
    expect(onUpdate).not.toHaveBeenCalled()
  })
})
