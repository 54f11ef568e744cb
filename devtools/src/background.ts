/// <reference types="chrome" />
import { documentKey, isRecord, readStoreNames, tabPrefix, type DocumentStores } from './store-lists'

/**
 * The service worker keeps nothing in memory: Chrome stops it when idle, and any message
 * starts it again. Its one job is the list of stores per document, which relays tell it
 * and panels read, kept in chrome.storage.session (not readable by content scripts, gone
 * when the browser closes). Panels talk to relays over their own ports: the worker is not
 * on that path, so stopping it never drops a connection.
 *
 * Each document has a key of its own, so no write reads and rewrites another's: a reloaded
 * page's new list and its old document's farewell can arrive in any order.
 */
chrome.runtime.onMessage.addListener((message: unknown, sender) => {
  // Who sent it is Chrome's word (tab, frame, document), never the message's.
  const tabId = sender.tab?.id
  const { frameId, documentId, url } = sender
  if (sender.id !== chrome.runtime.id || tabId === undefined || frameId === undefined || !documentId) return
  const names = isRecord(message) && message.type === 'stores' ? readStoreNames(message.names) : null
  if (!names) return
  const key = documentKey(tabId, frameId, documentId)
  if (names.length === 0) void chrome.storage.session.remove(key)
  else {
    const record: DocumentStores = { tabId, frameId, documentId, url: url ?? '', names }
    void chrome.storage.session.set({ [key]: record })
  }
})

/** A closed tab's documents are gone. */
chrome.tabs.onRemoved.addListener(async (tabId) => {
  const keys = Object.keys(await chrome.storage.session.get(null)).filter((k) => k.startsWith(tabPrefix(tabId)))
  if (keys.length > 0) await chrome.storage.session.remove(keys)
})
