import type { ComponentType } from 'react'
import { PatchProvider } from 'patchdb/react'
import { addons, useEffect, useMemo, useRef } from 'storybook/preview-api'
import { announce, answerAsks, openSession } from './session'

/** What the decorator reads of Storybook's story context. */
export interface PatchdbStoryContext {
  readonly id: string
  readonly name?: string
  readonly parameters: { readonly patchdb?: unknown }
  readonly args?: Readonly<Record<string, unknown>>
}

/**
 * Gives each story its own store, seeded from `parameters.patchdb` (see PatchdbParameter),
 * provided to the story through `<PatchProvider>`: a fresh one on every story switch,
 * remount and args change, so stories never share state. Its inspector feeds the Patches
 * panel. A story without `parameters.patchdb` renders as it is.
 */
export function withPatchdb(Story: ComponentType, context: PatchdbStoryContext) {
  const channel = addons.getChannel()
  answerAsks(channel)
  const parameter = context.parameters.patchdb
  // Storybook hands a new args object on each render; an arg that changed is a new value
  // (args may hold functions, elements, cycles: compared by identity, never serialized).
  const args = context.args ?? {}
  const seen = useRef({ args, version: 0 })
  if (!sameArgs(seen.current.args, args)) seen.current = { args, version: seen.current.version + 1 }
  const session = useMemo(() => {
    if (parameter !== undefined) return openSession(context.id, context.name ?? context.id, parameter, channel)
    announce(channel, context.id, null)
    return null
  }, [context.id, parameter, seen.current.version])
  useEffect(() => () => session?.close(), [session])
  if (!session) return <Story />
  return (
    <PatchProvider store={session.store}>
      <Story />
    </PatchProvider>
  )
}

function sameArgs(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && Object.is(a[k], b[k]))
}
