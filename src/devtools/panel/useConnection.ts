import { useEffect, useState } from 'react'
import type { Store } from 'patchdb'
import { connectDirect } from '../connect-direct'
import { createInspector } from '../inspector'
import type { InspectorPort, PanelConnection } from '../protocol'
import { createFeed, type Feed } from './feed'

/** Where the panel's messages come from: a store (the panel attaches an inspector to it), an inspector in the page, or any transport. */
export type PanelSource =
  | { store: Store<any>; inspector?: undefined; connection?: undefined }
  | { inspector: InspectorPort; store?: undefined; connection?: undefined }
  | { connection: PanelConnection; store?: undefined; inspector?: undefined }

/**
 * The panel's feed for the lifetime of the component. What it made (an inspector for a
 * store, a direct connection) it closes on unmount; what it was given is the caller's.
 */
export function useFeed(source: PanelSource): Feed | null {
  const [feed, setFeed] = useState<Feed | null>(null)
  const { store, inspector, connection } = source
  useEffect(() => {
    const made = store ? createInspector(store) : undefined
    const conn = connection ?? connectDirect((made ?? inspector)!)
    const next = createFeed(conn)
    setFeed(next)
    return () => {
      next.close()
      if (!connection) conn.close()
      made?.close()
    }
  }, [store, inspector, connection])
  return feed
}
