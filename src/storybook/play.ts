import type { JsonValue, Operation, Revision, Store } from 'patchdb'
import { PatchError } from 'patchdb'
import type { Inspector } from 'patchdb/devtools'
import { expect } from 'storybook/test'
import { sessionOf } from './session'

/** A story's context, as a play function receives it (only its id is read). */
export interface StoryRef {
  readonly id: string
}

/** The store the story renders with (its own, made by the patchdb decorator). */
export function storyStore<T = JsonValue>(context: StoryRef): Store<T> {
  return sessionOf(context.id).store as unknown as Store<T>
}

/** The inspector attached to the story's store: what the Patches panel shows; hand it to an in-story `<PatchDevtools inspector>`. */
export function storyInspector(context: StoryRef): Inspector {
  return sessionOf(context.id).inspector
}

/** The revisions the story wrote since it rendered (its seed excluded), oldest first. */
export function revisionsSinceRender(context: StoryRef): Revision[] {
  const { store, seeded } = sessionOf(context.id)
  const log = store.log(seeded)
  // The store keeps 1,000 revisions: a play function that writes more cannot be checked whole.
  if (store.revision > seeded && log[0]?.id !== seeded + 1) {
    throw new PatchError('ARGUMENT_INVALID', `patchdb storybook: story '${context.id}' wrote ${store.revision - seeded} revisions, more than its store retains`)
  }
  return log.map(({ id, patch }) => ({ id, patch }))
}

/** The operations of every revision the story wrote since it rendered, in order. */
export function patchesSinceRender(context: StoryRef): Operation[] {
  return revisionsSinceRender(context).flatMap((r) => r.patch)
}

/** `expect(patchesSinceRender(context))`, with storybook/test's expect (shown in the Interactions panel). */
export function expectPatches(context: StoryRef) {
  return expect(patchesSinceRender(context))
}

/** `expect` of the value at `pointer` (a JSON Pointer or its segments) in the story's store: undefined when missing. */
export function expectValue(context: StoryRef, pointer: string | readonly (string | number)[]) {
  return expect(storyStore<any>(context).get(pointer))
}
