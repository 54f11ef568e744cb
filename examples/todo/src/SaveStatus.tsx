import { useEffect, useState } from 'react'
import type { BrowserStore } from 'patchdb/browser'
import { useStore } from './state'

/** "Saving…" from a write until IndexedDB has it: what survives a reload. */
export function SaveStatus() {
  const store = useStore() as unknown as BrowserStore
  const [state, setState] = useState<'saved' | 'saving' | 'failed'>('saved')
  useEffect(
    () =>
      store.subscribe(() => {
        setState('saving')
        const revision = store.revision
        store.flush().then(
          () => store.revision === revision && setState('saved'),
          () => setState('failed'),
        )
      }),
    [store],
  )
  return (
    <p className={`save ${state}`} role="status" data-state={state}>
      {state === 'saved' ? 'Saved in this browser' : state === 'saving' ? 'Saving…' : 'Not saved: see the console'}
    </p>
  )
}
