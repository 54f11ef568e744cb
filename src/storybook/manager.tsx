import { addons, types } from 'storybook/manager-api'
import { followSession } from './follow'
import { PatchesPanel } from './PatchesPanel'

/**
 * The addon's manager entry (`addons: ['patchdb/storybook']` loads it): registers the
 * Patches panel. Imported for its side effect, which is why package.json lists it in
 * `sideEffects`.
 */
const ADDON_ID = 'patchdb/storybook'

addons.register(ADDON_ID, () => {
  const channel = addons.getChannel()
  const current = followSession(channel)
  addons.add(`${ADDON_ID}/panel`, {
    type: types.PANEL,
    title: 'Patches',
    match: ({ viewMode }) => viewMode === 'story',
    render: ({ active }) => <PatchesPanel active={!!active} channel={channel} current={current} />,
  })
})
