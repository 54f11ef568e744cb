import { useEffect, useState } from 'react'
import { connectDirect } from '../connect-direct'
import type { InspectorPort, PanelConnection } from '../protocol'
import { createFeed, type Feed } from './feed'

/** Where the panel's messages come from: an inspector in the page, or any transport. */
export type PanelSource = { inspector: InspectorPort; connection?: undefined } | { connection: PanelConnection; inspector?: undefined }

/**
 * The panel's feed for the lifetime of the component: a direct connection it made to an
 * inspector it closes on unmount; a connection it was given is the caller's to close.
 */
export function useFeed(source: PanelSource): Feed | null {
  const [feed, setFeed] = useState<Feed | null>(null)
  const { inspector, connection } = source
  useEffect(() => {
    const conn = connection ?? connectDirect(inspector!)
    const next = createFeed(conn)
    setFeed(next)
    return () => {
      next.close()
      if (!connection) conn.close()
    }
  }, [inspector, connection])
  return feed
}
