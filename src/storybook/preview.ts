import { withPatchdb } from './decorator'

/**
 * Storybook's preview annotations of the addon (`addons: ['patchdb/storybook']`): every
 * story gets the decorator, which does nothing for a story without `parameters.patchdb`.
 */
export const decorators = [withPatchdb]
