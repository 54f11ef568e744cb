import { useEffect, useState, useSyncExternalStore } from 'react'
import { PatchDevtools, type PanelConnection } from 'patchdb/devtools'
import { connectChannel, type ChannelLike } from './channel'
import type { SessionFollower } from './follow'

/**
 * The Patches panel: the devtools panel (the same component as in a page or the extension)
 * fed by the story's inspector over the channel. It connects only while shown, and anew for
 * each story render, since each has its own store.
 */
export function PatchesPanel({ active, channel, current }: { active: boolean; channel: ChannelLike; current: SessionFollower }) {
  const session = useSyncExternalStore(current.subscribe, current.get)
  const [link, setLink] = useState<{ session: string; connection: PanelConnection } | null>(null)
  useEffect(() => {
    if (!active || !session) return setLink(null)
    const connection = connectChannel(channel, session)
    setLink({ session, connection })
    return () => connection.close()
  }, [active, session, channel])
  if (!active) return null
  // Until the effect has run, `link` is the previous story's (closed): never render with it.
  const connection = link && link.session === session ? link.connection : null
  if (!session) {
    return <p style={{ padding: '1rem', margin: 0 }}>This story has no patchdb store: give it parameters.patchdb.</p>
  }
  if (!connection) return null
  // `production`: Storybook serves its manager as a production build, and this panel is the point of it.
  return <PatchDevtools key={session} inline production connection={connection} height="100%" />
}
