import type { Revision } from './patch'

/** What was running when a callback of the store threw. */
export interface ErrorContext {
  /** `'watcher'`: a `watch` or `observe` callback; `'subscriber'`: a `subscribe` callback. */
  kind: 'watcher' | 'subscriber'
  /** The pointer a watcher watches (watchers only). */
  path?: string
  /** The revision being delivered when it threw. */
  revision: Revision
}

export type ErrorHandler = (error: unknown, context: ErrorContext) => void

/**
 * The default `onError`: the console, plus the host's `reportError` where it has one (a
 * browser then fires `error` on window, where error trackers listen). Never rethrown: in
 * Node an uncaught exception would end the process and lose what was not flushed.
 */
export const logError: ErrorHandler = (error, context) => {
  const where = context.kind === 'watcher' ? `a watcher of '${context.path}'` : 'a subscriber'
  console.error(`patchdb: ${where} threw during revision ${context.revision.id}:`, error)
  ;(globalThis as { reportError?: (e: unknown) => void }).reportError?.(error)
}

/** Hands `error` to `handler`; if the handler throws too, to the default; nothing escapes. */
export function report(handler: ErrorHandler, error: unknown, context: ErrorContext): void {
  try {
    handler(error, context)
  } catch (failure) {
    try {
      if (handler !== logError) logError(new AggregateError([error, failure], 'onError threw while handling an error'), context)
    } catch {
      // Even the console failed: there is nowhere left to report to, and the store must go on.
    }
  }
}
