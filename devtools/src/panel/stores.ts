/// <reference types="chrome" />
import { storesOfTab, tabPrefix, type StoreTarget } from '../store-lists'

/**
 * Follows the stores of tab `tabId`, as the service worker records them in
 * chrome.storage.session: `fn` gets the whole list now and after every change. Reading
 * storage, not asking the worker, works whether or not the worker is running.
 */
export function watchStores(tabId: number, fn: (stores: StoreTarget[]) => void): () => void {
  let stopped = false
  let reading = Promise.resolve()
  const read = () => {
    // One read at a time, in order: a slow early read never overwrites a later one.
    reading = reading.then(async () => {
      const records = await chrome.storage.session.get(null)
      if (!stopped) fn(storesOfTab(records, tabId))
    })
  }
  const onChanged = (changes: Record<string, chrome.storage.StorageChange>) => {
    if (Object.keys(changes).some((k) => k.startsWith(tabPrefix(tabId)))) read()
  }
  chrome.storage.session.onChanged.addListener(onChanged)
  read()
  return () => {
    stopped = true
    chrome.storage.session.onChanged.removeListener(onChanged)
  }
}

/** The same store in a new document (a reload): the same name in the same frame, else in a frame at the same address, else anywhere in the tab. */
export function sameStore(stores: readonly StoreTarget[], was: StoreTarget): StoreTarget | undefined {
  return (
    stores.find((s) => s.documentId === was.documentId && s.name === was.name) ??
    stores.find((s) => s.frameId === was.frameId && s.name === was.name) ??
    stores.find((s) => s.url === was.url && s.name === was.name) ??
    stores.find((s) => s.name === was.name)
  )
}
