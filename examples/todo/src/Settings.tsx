import { memo, useEffect } from 'react'
import { RenderCount } from './RenderCount'
import { usePatch, useSet } from './state'
import { useRenderCount } from './useRenderCount'

/** Watches `/settings` as a whole: renders when any setting changes, and only then. */
export const Settings = memo(function Settings() {
  const settings = usePatch('/settings')
  const set = useSet()
  const renders = useRenderCount()
  useEffect(() => void (document.documentElement.dataset.theme = settings.theme), [settings.theme])
  return (
    <section className="settings" aria-label="settings">
      <h2>
        Settings <RenderCount count={renders} />
      </h2>
      <label>
        Theme{' '}
        <select value={settings.theme} onChange={(e) => set('/settings/theme', e.target.value as 'light' | 'dark')}>
          <option value="light">light</option>
          <option value="dark">dark</option>
        </select>
      </label>
      <label>
        <input type="checkbox" checked={settings.showCounters} onChange={() => set('/settings/showCounters', !settings.showCounters)} />{' '}
        show render counters (each badge counts the renders of its row or panel)
      </label>
    </section>
  )
})
