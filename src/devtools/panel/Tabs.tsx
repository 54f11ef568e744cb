import type { KeyboardEvent } from 'react'

export const TABS = ['Patch', 'Diff', 'State', 'Watchers'] as const
export type Tab = (typeof TABS)[number]

/** The tablist: arrow keys move between tabs (the ARIA tabs pattern). */
export function Tabs({ tab, onChange }: { tab: Tab; onChange(tab: Tab): void }) {
  const onKeyDown = (e: KeyboardEvent) => {
    const move = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
    if (!move) return
    e.preventDefault()
    const next = TABS[(TABS.indexOf(tab) + move + TABS.length) % TABS.length]!
    onChange(next)
    ;(e.currentTarget.querySelector(`#pd-tab-${next}`) as HTMLElement | null)?.focus()
  }
  return (
    <div className="tabs" role="tablist" aria-label="Revision details" onKeyDown={onKeyDown}>
      {TABS.map((t) => (
        <button
          key={t}
          id={`pd-tab-${t}`}
          type="button"
          role="tab"
          aria-selected={t === tab}
          aria-controls="pd-tabpanel"
          tabIndex={t === tab ? 0 : -1}
          onClick={() => onChange(t)}
        >
          {t}
        </button>
      ))}
    </div>
  )
}
