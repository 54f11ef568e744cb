import type { JsonValue } from './json'

/** One RFC 6902 operation. */
export type Operation =
  | { op: 'add'; path: string; value: JsonValue }
  | { op: 'remove'; path: string }
  | { op: 'replace'; path: string; value: JsonValue }
  | { op: 'move'; from: string; path: string }
  | { op: 'copy'; from: string; path: string }
  | { op: 'test'; path: string; value: JsonValue }

/** An RFC 6902 JSON Patch: applied whole or not at all. */
export type Patch = readonly Operation[]

/** One atomic change of a store; ids increase by exactly one. */
export interface Revision {
  readonly id: number
  readonly patch: Patch
}

/** The whole document at revision `id`. */
export interface Dump<T = JsonValue> {
  readonly id: number
  readonly value: T
}

/** A message from a server: a revision if it has `patch`, else a dump. */
export type Update<T = JsonValue> = Revision | Dump<T>

export const isRevision = <T>(u: Update<T>): u is Revision => 'patch' in u
