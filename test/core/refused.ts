import { expect } from 'vitest'
import { PatchError, type JsonValue, type PatchErrorCode, type Store } from 'patchdb'

/**
 * Runs `attempt`, expects a PatchError with `code`, and that the store did not change at
 * all: same document (===), revision and log, and no subscriber called.
 */
export function expectRefused(store: Store<JsonValue>, attempt: () => unknown, code: PatchErrorCode): void {
  const before = store.get()
  const revision = store.revision
  const log = store.log()
  let calls = 0
  const off = store.subscribe(() => calls++)
  let error: unknown
  try {
    attempt()
  } catch (e) {
    error = e
  }
  off()
  expect(error).toBeInstanceOf(PatchError)
  expect((error as PatchError).code).toBe(code)
  expect(store.get()).toBe(before)
  expect(store.revision).toBe(revision)
  expect(store.log()).toEqual(log)
  expect(calls).toBe(0)
}
