import { applyPatch, brandError, parsePointer, PatchError, type Dump, type JsonValue, type Operation, type Patch } from 'patchdb'

/** A devtools message or exported log that is not what the protocol says: `message` says what is wrong. */
export class ProtocolError extends Error {
  static {
    brandError(this, 'ProtocolError')
  }
  override readonly name = 'ProtocolError'
}

export const invalid = (why: string, cause?: unknown) => new ProtocolError(`patchdb devtools: ${why}`, cause === undefined ? undefined : { cause })

/** A plain object (not an array, not null). */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
export const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
/** Strings in messages are names, labels, stacks and codes: bounded, so a forged one cannot flood the panel. */
export const isString = (v: unknown): v is string => typeof v === 'string' && v.length <= 100_000

const UNSAFE = new Set(['__proto__', 'constructor', 'prototype'])

/** A pointer string, parsed (RFC 6901), with no segment that could reach a prototype. */
export function readPointer(p: unknown, at: string): string {
  if (typeof p !== 'string') throw invalid(`${at} is a JSON pointer string`)
  let segs
  try {
    segs = parsePointer(p)
  } catch (e) {
    throw invalid(`${at} is not a JSON pointer: ${(e as Error).message}`, e)
  }
  for (const s of segs) if (UNSAFE.has(s)) throw invalid(`${at} has the unsafe segment '${s}'`)
  return p
}

/**
 * A plain-JSON copy of `v`, checked by the core (no functions, undefined, NaN, cycles, lone
 * surrogates; depth limited): the same rules a store applies to what is written.
 */
export function readJson(v: unknown, at: string): JsonValue {
  try {
    return applyPatch<unknown>(undefined, [{ op: 'add', path: '', value: v as JsonValue }]).value as JsonValue
  } catch (e) {
    throw invalid(`${at} is not plain JSON: ${(e as Error).message}`, e)
  }
}

export function readDump(d: unknown, at: string): Dump {
  if (!isRecord(d)) throw invalid(`${at} is a dump { id, value }`)
  if (!isWhole(d.id)) throw invalid(`${at}.id is a whole number >= 0`)
  if (!('value' in d)) throw invalid(`${at}.value is missing`)
  return { id: d.id, value: readJson(d.value, `${at}.value`) }
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test'])

/** An RFC 6902 patch, each operation rebuilt from fields read once (what is checked is what is used). */
export function readPatch(p: unknown, at: string): Patch {
  if (!Array.isArray(p)) throw invalid(`${at} is an array of operations`)
  return p.map((o: unknown, i): Operation => {
    const where = `${at}[${i}]`
    if (!isRecord(o)) throw invalid(`${where} is an operation object`)
    const op = o.op
    if (typeof op !== 'string' || !OPS.has(op)) throw invalid(`${where}.op is one of add, remove, replace, move, copy, test`)
    const path = readPointer(o.path, `${where}.path`)
    switch (op) {
      case 'remove':
        return { op, path }
      case 'move':
      case 'copy':
        return { op, from: readPointer(o.from, `${where}.from`), path }
      default: {
        if (!('value' in o)) throw invalid(`${where}.value is missing`)
        return { op: op as 'add' | 'replace' | 'test', path, value: readJson(o.value, `${where}.value`) }
      }
    }
  })
}

/** A PatchError (or anything thrown) as the protocol's { code, message }. */
export function errorFields(e: unknown): { code: string; message: string } {
  if (e instanceof PatchError) return { code: e.code, message: e.message }
  if (e instanceof ProtocolError) return { code: 'PROTOCOL_INVALID', message: e.message }
  return { code: 'ERROR', message: e instanceof Error ? e.message : String(e) }
}
