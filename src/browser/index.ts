export { openBrowserStore } from './store'
export type { BrowserStore, Role } from './store'
export type { BrowserStoreOptions, BrowserLimits, CompactOptions } from './options'
export { CorruptionError, LimitError, TimeoutError, WriterChangedError } from './errors'
