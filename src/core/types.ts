import type { JsonValue } from './json'

/*
 * Type-level pointers. A pointer (`'/todos/0/title'` or `['todos', 0, 'title']`) is checked by
 * walking it through the document type one segment at a time: the cost grows with the
 * pointer's length, not with the size of the document, and the walk is tail-recursive so
 * long pointers never hit TS2589. A wrong segment yields a `PathError` whose message says
 * which segment and where, instead of "not assignable to 'never'".
 */

/** A pointer that does not fit the document type: the message names the wrong segment and where. */
export interface PathError<Message extends string> {
  readonly 'patchdb: invalid pointer': Message
}

/** What JSON cannot hold, named in the type error of a value that holds it. */
export interface NotJson<What extends string> {
  readonly 'patchdb: not JSON': What
}

/**
 * `T` with every part JSON cannot hold replaced by a `NotJson` error, so that
 * `value: JsonCompatible<V>` accepts any JSON-shaped type (interfaces too: no index signature
 * is demanded) and rejects functions, undefined, symbols, bigints, Dates, Maps and Sets.
 * Optional properties stay optional: a missing key is not an `undefined` value.
 */
export type JsonCompatible<T> = T extends JsonValue
  ? T
  : T extends undefined
    ? NotJson<'undefined (leave the key out, or use null)'>
    : T extends (...args: never[]) => unknown
      ? NotJson<'a function'>
      : T extends symbol
        ? NotJson<'a symbol'>
        : T extends bigint
          ? NotJson<'a bigint (store a string or a number)'>
          : T extends Date
            ? NotJson<'a Date (store an ISO string or a number)'>
            : T extends ReadonlyMap<unknown, unknown>
              ? NotJson<'a Map (store an object or an array of pairs)'>
              : T extends ReadonlySet<unknown>
                ? NotJson<'a Set (store an array)'>
                : T extends readonly (infer E)[]
                  ? readonly JsonCompatible<E>[] // not a mapped array: that would be expanded eagerly
                  : T extends object
                    ? { [K in keyof T]: JsonCompatible<{} extends Pick<T, K> ? Exclude<T[K], undefined> : T[K]> }
                    : NotJson<'a value JSON has no form for'>

/** Types that say nothing about their shape (any, unknown, JsonValue): any pointer goes. */
type IsLoose<T> = unknown extends T ? true : JsonValue extends T ? true : false

type Escape<K extends string> = K extends `${infer A}~${infer B}`
  ? `${Escape<A>}~0${Escape<B>}`
  : K extends `${infer A}/${infer B}`
    ? `${A}~1${Escape<B>}`
    : K
type Unescape<K extends string> = K extends `${infer A}~1${infer B}`
  ? Unescape<`${A}/${B}`>
  : K extends `${infer A}~0${infer B}`
    ? `${A}~${Unescape<B>}`
    : K

/** The unescaped segments of a string pointer, or the error of a string that is not one. */
type Split<P extends string, Acc extends string[] = []> = P extends `${infer K}/${infer R}`
  ? Split<R, [...Acc, Unescape<K>]>
  : [...Acc, Unescape<P>]
type Segments<P> = P extends ''
  ? []
  : P extends `/${infer R}`
    ? BadEscape<R> extends true
      ? PathError<`'~' must be followed by 0 or 1 (RFC 6901), in '${P}'`>
      : Split<R>
    : P extends string
      ? PathError<`a pointer is '' or starts with '/', got '${P}'`>
      : P
type BadEscape<S extends string> = S extends `${string}~${infer R}` ? (R extends `${'0' | '1'}${infer Rest}` ? BadEscape<Rest> : true) : false

type Segment<H> = H extends string ? H : H extends number ? `${H}` : never

/** A canonical array index: digits, no leading zero, not negative (or a `number` only known at run time). */
type IsIndex<K extends string> = `${number}` extends K
  ? true
  : K extends `-${string}` | `+${string}`
    ? false
    : K extends `${infer N extends bigint}`
      ? bigint extends N
        ? false
        : true
      : false

type NumericKey<T, K extends string> = K extends `${infer N extends number}`
  ? number extends keyof T
    ? T[number & keyof T] | undefined // a record: any key may be missing
    : N extends keyof T
      ? T[N]
      : never
  : never

type Hit<V> = { hit: V }
type Miss = { miss: true }
type Where<W extends string> = W extends '' ? 'the root' : W

/**
 * One segment `K` below one member of the type at `W`. `Add` is true for the last segment of
 * a write, where `-` (past the end of an array) names where to append.
 */
type Step<T, K extends string, W extends string, Add extends boolean> = IsLoose<T> extends true
  ? Hit<JsonValue | undefined>
  : T extends readonly unknown[]
    ? number extends T['length']
      ? IsIndex<K> extends true
        ? Hit<T[number] | undefined>
        : K extends '-'
          ? Add extends true
            ? Hit<T[number]>
            : PathError<`'-' at ${Where<W>} is past the end of the array: only the last segment of a write may use it`>
          : PathError<`'${K}' is not an index of the array at ${Where<W>}`>
      : K extends keyof T & `${number}`
        ? Hit<T[K]>
        : PathError<`no index '${K}' in the tuple at ${Where<W>}`>
    : T extends object
      ? string extends keyof T
        ? Hit<(K extends keyof T ? T[K] : T[string & keyof T]) | undefined> // a record: any key may be missing
        : string extends K
          ? Hit<JsonValue | undefined> // a key only known at run time
          : [K] extends [keyof T]
            ? Hit<T[K]>
            : NumericKey<T, K> extends infer N // JSON keys are strings: `{ 1: x }` and `Record<number, x>` have '1'
              ? [N] extends [never]
                ? PathError<`no key '${K}' at ${Where<W>}`>
                : Hit<N>
              : never
      : Miss

/**
 * The type found below a union: what its members hold, plus `undefined` when some member
 * (null, a primitive, an absent optional) holds nothing there. An error only if none does.
 */
type Merge<R, K extends string, W extends string> = [Extract<R, Hit<unknown>>] extends [never]
  ? [Extract<R, PathError<string>>] extends [never]
    ? PathError<`'${K}' is below ${Where<W>}, which holds no object or array`>
    : Extract<R, PathError<string>>
  : Hit<Extract<R, Hit<unknown>>['hit'] | ([Exclude<R, Hit<unknown>>] extends [never] ? never : undefined)>

type Walk<T, S, W extends string, Add extends boolean> = S extends readonly [infer H, ...infer R]
  ? Merge<Step<T, Segment<H>, W, R extends readonly [] ? Add : false>, Segment<H>, W> extends infer N
    ? N extends Hit<infer V>
      ? Walk<V, R, `${W}/${Escape<Segment<H>>}`, Add>
      : N
    : never
  : Hit<T>

/** The walk of `P` through `T`: `Hit<type there>` or a `PathError`; `Hit<loose JSON>` for a pointer only known at run time. */
type Resolve<T, P, Add extends boolean> = IsLoose<T> extends true
  ? Hit<JsonValue | undefined>
  : P extends string
    ? string extends P
      ? Hit<JsonValue | undefined>
      : Segments<P> extends infer S
        ? S extends PathError<string>
          ? S
          : Walk<T, S, '', Add>
        : never
    : P extends readonly unknown[]
      ? number extends P['length']
        ? Hit<JsonValue | undefined>
        : Walk<T, P, '', Add>
      : PathError<'a path is a pointer string or an array of segments'>

/**
 * A pointer argument checked against `T`: `P` itself when it is a pointer of `T` (any
 * pointer when `T` is loose JSON or `P` is only known at run time), else a `PathError`.
 * Used as `path: P & PathOf<T, P>`. With `Write`, the last segment may be `-` (append).
 */
export type PathOf<T, P, Write extends boolean = false> = [Extract<Resolve<T, P, Write>, PathError<string>>] extends [never]
  ? P
  : Extract<Resolve<T, P, Write>, PathError<string>> // a union of pointers is checked member by member

/** The type at pointer (or tuple) `P` in `T`; loose JSON when `P` is not a literal or not valid. */
export type At<T, P, Write extends boolean = false> = [Resolve<T, P, Write>] extends [Hit<infer V>] ? V : JsonValue | undefined

/**
 * What may be written at `P`: the type there, read-only or not (a value read from a store
 * can be written back), never `undefined`. Where the type is loose JSON, `V` is inferred and
 * checked with `JsonCompatible`, so interfaces are accepted (`any` checks nothing).
 */
export type ValueAt<T, P, V> = Exclude<At<T, P, true>, undefined> extends infer W
  ? 0 extends 1 & W
    ? W // `any` in the document type: the caller opted out of checks
    : IsLoose<W> extends true
      ? JsonCompatible<V>
      : ReadonlyDeep<W>
  : never

/** A document going into a store (`createStore`, `update`, a provider's dump): mutable or read-only. */
export type DocumentIn<T> = T | ReadonlyDeep<T>

type Sub<T, D extends number> = [D] extends [never]
  ? `/${string}`
  : T extends readonly (infer E)[]
    ? `/${number}` | `/${number}${Sub<E, Depth[D]>}`
    : T extends object
      ? { [K in keyof T & string]-?: `/${Escape<K>}` | `/${Escape<K>}${Sub<NonNullable<T[K]>, Depth[D]>}` }[keyof T & string]
      : never
type Depth = [never, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]

/**
 * Every JSON pointer into `T` (`string` when `T` has no known shape), e.g. for a prop that
 * takes a pointer. Enumerates the document type: the signatures check a given pointer with
 * `PathOf` instead, which costs only the pointer's length.
 */
export type Pointer<T> = IsLoose<T> extends true ? string : '' | Sub<T, 12>

/** Deeply read-only view: values handed out by a store are frozen. Loose JSON stays as is. */
export type ReadonlyDeep<T> = IsLoose<T> extends true ? T : ReadonlyShape<T>
type ReadonlyShape<T> = T extends readonly unknown[]
  ? number extends T['length']
    ? readonly ReadonlyDeep<T[number]>[] // deferred, unlike a mapped array, so recursive types stay finite
    : { readonly [K in keyof T]: ReadonlyDeep<T[K]> } // a tuple keeps its positions
  : T extends object
    ? { readonly [K in keyof T]: ReadonlyDeep<T[K]> }
    : T
