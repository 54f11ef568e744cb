/// <reference types="chrome" />
import { createRoot } from 'react-dom/client'
import { ExtensionPanel } from './ExtensionPanel'

/**
 * The panel page. In DevTools it inspects DevTools' tab; opened as an ordinary extension
 * page (tests, or a user without DevTools), `panel.html?tabId=N` names the tab. Extension
 * pages are not web-accessible, so no web page can open it.
 */
const tabId = chrome.devtools?.inspectedWindow?.tabId ?? Number(new URLSearchParams(location.search).get('tabId') ?? NaN)
const root = createRoot(document.getElementById('root')!)
root.render(Number.isSafeInteger(tabId) && tabId >= 0 ? <ExtensionPanel tabId={tabId} /> : <p>No tab to inspect: open this panel in DevTools, or as panel.html?tabId=N.</p>)
