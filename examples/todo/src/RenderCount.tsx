import { usePatch } from './state'

export function RenderCount({ count }: { count: number }) {
  const show = usePatch('/settings/showCounters')
  return show ? (
    <span className="renders" title="renders of this component">
      {count}
    </span>
  ) : null
}
