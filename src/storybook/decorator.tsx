import type { ComponentType } from 'react'
import { PatchProvider } from 'patchdb/react'
import { addons, useEffect, useMemo } from 'storybook/preview-api'
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
  // Args are compared by value: Storybook hands a new object on each render.
  const args = JSON.stringify(context.args ?? {})
  const session = useMemo(() => {
    if (parameter !== undefined) return openSession(context.id, context.name ?? context.id, parameter, channel)
    announce(channel, context.id, null)
    return null
  }, [context.id, parameter, args])
  useEffect(() => () => session?.close(), [session])
  if (!session) return <Story />
  return (
    <PatchProvider store={session.store}>
      <Story />
    </PatchProvider>
  )
}
