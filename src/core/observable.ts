declare global {
  interface SymbolConstructor {
    readonly observable: symbol
  }
}

export interface Observer<T> {
  next?(value: T): void
  error?(err: unknown): void
  complete?(): void
}

export interface Subscription {
  unsubscribe(): void
  readonly closed: boolean
}

/** The ES Observable interop shape, so `rxjs.from(store.observe(p))` accepts it. */
export interface Observable<T> {
  subscribe(observer: Observer<T> | ((value: T) => void)): Subscription
  [Symbol.observable](): Observable<T>
}

/** Where interop libraries look for it: `Symbol.observable` if a polyfill defined it. */
const interop: symbol | '@@observable' = (typeof Symbol === 'function' && Symbol.observable) || '@@observable'

/** An Observable over a `start(emit) => stop` source. */
export function observable<T>(start: (next: (value: T) => void) => () => void): Observable<T> {
  const self = {
    subscribe(o: Observer<T> | ((value: T) => void)): Subscription {
      const observer = typeof o === 'function' ? { next: o } : o
      let stop: (() => void) | null = null
      let closed = false
      const sub = {
        get closed() {
          return closed
        },
        unsubscribe() {
          if (closed) return
          closed = true
          stop?.()
          stop = null
        },
      }
      stop = start((v) => {
        if (!closed) observer.next?.(v)
      })
      if (closed) stop()
      return sub
    },
  } as Observable<T>
  const interopFn = () => self
  ;(self as unknown as Record<PropertyKey, unknown>)[interop] = interopFn
  ;(self as unknown as Record<PropertyKey, unknown>)['@@observable'] = interopFn
  return self
}
