/**
 * What the extension's parts agree on: the port's name, where the service worker keeps each
 * document's list of stores, and the bounds every part checks again on what it receives
 * (the page, and so its relay, is untrusted).
 */

/** The name of the ports a panel opens to a frame's relay (chrome.tabs.connect). */
export const PANEL_PORT = 'patchdb-panel'

/** A frame lists at most this many stores, each name at most this long. */
export const MAX_STORES = 64
export const MAX_NAME_LENGTH = 200

/** A relay's store list, as it tells the service worker (and a page tells its relay, with `source` and `to`). */
export interface StoresMessage {
  readonly type: 'stores'
  readonly names: readonly string[]
}

/** One document's stores, as the service worker keeps them in chrome.storage.session. */
export interface DocumentStores {
  readonly tabId: number
  readonly frameId: number
  readonly documentId: string
  readonly url: string
  readonly names: readonly string[]
}

/** A store the panel can attach to: a name in a document of its tab. */
export interface StoreTarget {
  readonly name: string
  readonly frameId: number
  readonly documentId: string
  readonly url: string
}

/** chrome.storage.session keys: one per document, so that no write reads another's (no lost update). */
export const tabPrefix = (tabId: number) => `stores/${tabId}/`
export const documentKey = (tabId: number, frameId: number, documentId: string) => `${tabPrefix(tabId)}${frameId}/${documentId}`

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A list of store names, or null if `v` is not one (not an array, too long, a name that is not a short string, twice the same). */
export function readStoreNames(v: unknown): string[] | null {
  if (!Array.isArray(v) || v.length > MAX_STORES) return null
  const names: string[] = []
  for (const n of v as unknown[]) {
    if (typeof n !== 'string' || n.length === 0 || n.length > MAX_NAME_LENGTH || names.includes(n)) return null
    names.push(n)
  }
  return names
}

/** The stores of one tab, from the service worker's records: top frame first, then by frame, each frame's in its order. */
export function storesOfTab(records: Record<string, unknown>, tabId: number): StoreTarget[] {
  const prefix = tabPrefix(tabId)
  const docs: DocumentStores[] = []
  for (const [key, value] of Object.entries(records)) {
    if (!key.startsWith(prefix) || !isRecord(value)) continue
    const names = readStoreNames(value.names)
    if (names && typeof value.frameId === 'number' && typeof value.documentId === 'string' && typeof value.url === 'string') {
      docs.push({ tabId, frameId: value.frameId, documentId: value.documentId, url: value.url, names })
    }
  }
  docs.sort((a, b) => a.frameId - b.frameId)
  return docs.flatMap((d) => d.names.map((name) => ({ name, frameId: d.frameId, documentId: d.documentId, url: d.url })))
}
