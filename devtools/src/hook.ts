import { DEVTOOLS_HOOK, MESSAGE_SOURCE, type DevtoolsHook } from 'patchdb/devtools'
import { MAX_NAME_LENGTH, MAX_STORES } from './store-lists'

/**
 * The MAIN-world content script: runs in every frame before the page's own scripts and
 * defines the hook connectDevtools looks for. It holds the frame's list of stores and posts
 * it (at most once per task) to the isolated-world relay, which tells the service worker.
 * It defines one frozen object and nothing else: pages without patchdb pay nothing more.
 */
const names: string[] = []
let posting = false
// To this window only: never '*' where the page has an origin.
const target = location.origin === 'null' ? '*' : location.origin

function announce() {
  if (posting) return
  posting = true
  queueMicrotask(() => {
    posting = false
    // Past the limit a store still works in the page; the extension lists the first ones.
    window.postMessage({ source: MESSAGE_SOURCE, to: 'extension', type: 'stores', names: names.slice(0, MAX_STORES) }, target)
  })
}

const hook: DevtoolsHook = Object.freeze({
  version: 1 as const,
  register(requested: string) {
    const name = String(requested).slice(0, MAX_NAME_LENGTH - 6) || 'store'
    let listed = name
    for (let i = 2; names.includes(listed); i++) listed = `${name} (${i})`
    names.push(listed)
    announce()
    let listedNow = true
    return {
      name: listed,
      unregister() {
        if (!listedNow) return
        listedNow = false
        const at = names.indexOf(listed)
        if (at >= 0) names.splice(at, 1)
        announce()
      },
    }
  },
})

Object.defineProperty(window, DEVTOOLS_HOOK, { value: hook, enumerable: false, configurable: false, writable: false })
