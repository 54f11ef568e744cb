import type { JsonValue } from './json'

/*
 * Type-level pointers: `Pointer<T>` is every RFC 6901 pointer into T, `At<T, P>` the type
 * found there. Recursion is bounded by a depth counter so deep documents never hit TS2589.
 */

type Depth = [never, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
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

/** True for types that say nothing about their shape (any, unknown, JsonValue). */
type IsLoose<T> = unknown extends T ? true : JsonValue extends T ? true : false

type Sub<T, D extends number> = [D] extends [never]
  ? `/${string}`
  : T extends readonly (infer E)[]
    ? `/${number}` | `/${number}${Sub<E, Depth[D]>}`
    : T extends object
      ? { [K in keyof T & string]-?: `/${Escape<K>}` | `/${Escape<K>}${Sub<NonNullable<T[K]>, Depth[D]>}` }[keyof T & string]
      : never

/** Every JSON pointer into `T` (`string` when `T` has no known shape). */
export type Pointer<T> = IsLoose<T> extends true ? string : '' | Sub<T, 12>

type Child<T, K extends string> = IsLoose<T> extends true ? JsonValue | undefined : ChildOf<T, K>
type ChildOf<T, K extends string> = T extends readonly (infer E)[]
  ? K extends `${number}`
    ? E | undefined
    : undefined
  : T extends object
    ? string extends keyof T
      ? T[string & keyof T] | undefined // a record: any key may be missing
      : K extends keyof T
        ? T[K]
        : undefined
    : undefined

type AtPointer<T, P extends string> = P extends ''
  ? T
  : P extends `/${infer K}/${infer R}`
    ? AtPointer<Child<T, Unescape<K>>, `/${R}`>
    : P extends `/${infer K}`
      ? Child<T, Unescape<K>>
      : undefined

type AtTuple<T, P extends readonly unknown[]> = P extends readonly [infer H, ...infer R]
  ? AtTuple<Child<T, H extends string | number ? `${H}` : never>, R>
  : T

/** The type at pointer (or tuple) `P` in `T`; loose JSON when `P` is not a literal. */
export type At<T, P> = IsLoose<T> extends true
  ? JsonValue | undefined
  : P extends string
    ? string extends P
      ? JsonValue | undefined
      : AtPointer<T, P>
    : P extends readonly unknown[]
      ? number extends P['length']
        ? JsonValue | undefined
        : AtTuple<T, P>
      : never

/** A pointer argument: any valid pointer of `T` when literal, any string otherwise. */
export type PathOf<T, P> = P extends string ? (string extends P ? string : Pointer<T>) : readonly (string | number)[]

/** Deeply read-only view: values handed out by a store are frozen. Loose JSON stays as is. */
export type ReadonlyDeep<T> = IsLoose<T> extends true ? T : ReadonlyShape<T>
type ReadonlyShape<T> = T extends (infer E)[]
  ? readonly ReadonlyShape<E>[]
  : T extends object
    ? { readonly [K in keyof T]: ReadonlyShape<T[K]> }
    : T
