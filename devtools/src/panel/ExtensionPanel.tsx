/// <reference types="chrome" />
import { useEffect, useRef, useState } from 'react'
import { PatchDevtools } from 'patchdb/devtools'
import type { StoreTarget } from '../store-lists'
import { createExtensionConnection, type ConnectionStatus, type ExtensionConnection } from './connection'
import { sameStore, watchStores } from './stores'

interface Selection {
  readonly connection: ExtensionConnection
  /** The store as last seen: after a reload, the same store is looked for in the new documents. */
  was: StoreTarget
}

const KEEP_HISTORY = 'keepHistory'
const HEADER_PX = 34

/**
 * The extension's panel for one tab: a picker of the tab's stores (every frame's, by name),
 * the keep-history option, the connection's status, and the same <PatchDevtools> as in a
 * page, fed through the extension's connection. A reload keeps the selection: the panel
 * waits for the store to come back and attaches to it.
 */
export function ExtensionPanel({ tabId }: { tabId: number }) {
  const [stores, setStores] = useState<StoreTarget[] | null>(null)
  const [selection, setSelection] = useState<Selection | null>(null)
  const [status, setStatus] = useState<ConnectionStatus>('waiting')
  const [keep, setKeep] = useState(false)
  const keepRef = useRef(keep)
  keepRef.current = keep

  useEffect(() => watchStores(tabId, setStores), [tabId])
  useEffect(() => {
    chrome.storage.local.get(KEEP_HISTORY).then((v) => setKeep(v[KEEP_HISTORY] === true), () => {})
  }, [])

  const select = (target: StoreTarget) => {
    const connection = createExtensionConnection(tabId, { keepHistory: () => keepRef.current })
    connection.attach(target)
    setSelection({ connection, was: target })
  }

  // The documents still there: a list can name one that went away without saying so (its farewell is lost when the worker was stopped).
  const listed = (stores ?? []).filter((s) => !selection?.connection.isGone(s.documentId))

  // Follow the list: the shown store's document may have gone (reload) and come back.
  useEffect(() => {
    if (!stores) return
    if (!selection) {
      if (listed[0]) select(listed[0])
      return
    }
    const now = sameStore(listed, selection.was) ?? null
    selection.connection.attach(now)
    if (now) selection.was = now
  }, [stores, selection, status])

  useEffect(() => {
    if (!selection) return
    const off = selection.connection.onStatus(setStatus)
    return () => {
      off()
      selection.connection.close()
    }
  }, [selection])

  const key = (s: StoreTarget) => `${s.frameId}/${s.documentId}/${s.name}`
  // The same lookup as the effect's: the select shows the store the connection attaches to.
  const current = selection ? sameStore(listed, selection.was) : undefined

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <header style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 12px', alignItems: 'center', padding: '4px 8px', minHeight: HEADER_PX, boxSizing: 'border-box', borderBottom: '1px solid #8884' }}>
        <label>
          Store{' '}
          <select
            aria-label="Store"
            value={current ? key(current) : 'away'}
            onChange={(e) => {
              const to = listed.find((s) => key(s) === e.currentTarget.value)
              if (to) select(to)
            }}
          >
            {!current && <option value="away">{selection ? `${selection.was.name} (away)` : '—'}</option>}
            {listed.map((s) => (
              <option key={key(s)} value={key(s)}>
                {s.frameId === 0 ? s.name : `${s.name} (frame ${s.url})`}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={keep}
            onChange={(e) => {
              const on = e.currentTarget.checked
              setKeep(on)
              void chrome.storage.local.set({ [KEEP_HISTORY]: on })
            }}
          />{' '}
          Keep history on reload
        </label>
        <span role="status" aria-label="Connection" style={{ opacity: 0.8 }}>
          {describe(selection?.was.name, status, listed.length)}
        </span>
      </header>
      <div style={{ flex: 1, minHeight: 0 }}>{selection && <PatchDevtools connection={selection.connection} inline production height="100%" />}</div>
    </div>
  )
}

function describe(name: string | undefined, status: ConnectionStatus, count: number): string {
  if (name === undefined) return count === 0 ? 'No patchdb store in this tab: a page lists one with connectDevtools(store, { name }).' : ''
  if (status === 'connected') return `Connected to ${name}`
  if (status === 'connecting') return `Connecting to ${name}…`
  return `Waiting for ${name} (the page is reloading or gone)`
}
