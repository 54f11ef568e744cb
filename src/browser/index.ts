export { openBrowserStore } from './store'
export type { BrowserStore, Role } from './store'
export type { BrowserStoreOptions, BrowserLimits, CompactOptions } from './options'
export { CorruptionError, WriterChangedError } from './errors'
