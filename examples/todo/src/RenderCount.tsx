import { usePatch } from './state'

/** A labelled badge: how many times the component that shows it has rendered. */
export function RenderCount({ count }: { count: number }) {
  const show = usePatch('/settings/showCounters')
  return show ? (
    <span className="renders" title="How many times this component has rendered">
      {count} {count === 1 ? 'render' : 'renders'}
    </span>
  ) : null
}
