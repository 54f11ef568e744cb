import { enablePatches, setAutoFreeze } from 'immer'

/**
 * Immer as the other libraries run here: with patches, and without auto-freeze, since
 * patchdb does not freeze in production either (NODE_ENV=production in `npm run bench`).
 */
export function configureImmer(): void {
  enablePatches()
  setAutoFreeze(false)
}
