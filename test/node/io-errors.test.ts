import fs from 'node:fs'
import { deepEqual } from 'patchdb'
import { openStore, ReadOnlyError, type DiskIO } from 'patchdb/node'
import { describe, expect, it } from 'vitest'
import { dirs } from './fixtures/dirs'
import { initialValue, patchFor, streamAt } from './fixtures/stream'

const fresh = dirs('io')
const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code })

/** node:fs, with `fail` consulted before each write and fsync of the log. */
function faulty(fail: { write?: string; fsync?: string; half?: boolean }): DiskIO {
  return {
    ...fs,
    writeSync: (fd, buf, off, len, pos) => {
      if (fail.half && fail.write) fs.writeSync(fd, buf, off, len >> 1, pos)
      if (fail.write) throw errno(fail.write)
      return fs.writeSync(fd, buf, off, len, pos)
    },
    write: (fd, buf, off, len, pos, cb) => (fail.write ? cb(errno(fail.write), 0) : fs.write(fd, buf, off, len, pos, cb)),
    fsyncSync: (fd) => {
      if (fail.fsync) throw errno(fail.fsync)
      fs.fsyncSync(fd)
    },
    fsync: (fd, cb) => (fail.fsync ? cb(errno(fail.fsync)) : fs.fsync(fd, cb)),
    ftruncateSync: fs.ftruncateSync,
  }
}

describe('I/O errors while appending: fail-stop, the store turns read-only', () => {
  it("sync 'always': the apply that fails throws with the cause and changes nothing; the store is read-only", async () => {
    const dir = fresh()
    const fail: { write?: string; half?: boolean } = {}
    const db = await openStore(dir, { value: initialValue, sync: 'always', io: faulty(fail) })
    for (let i = 1; i <= 5; i++) db.apply(patchFor(i))
    Object.assign(fail, { write: 'ENOSPC', half: true }) // half a record reaches the file first
    const err = (() => {
      try {
        db.apply(patchFor(6))
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(ReadOnlyError)
    expect((err as Error & { cause: { code: string } }).cause.code).toBe('ENOSPC')
    expect(db.revision).toBe(5)
    expect(deepEqual(db.get(), streamAt(5))).toBe(true)
    fail.write = undefined
    expect(() => db.apply(patchFor(6))).toThrow(ReadOnlyError) // stays read-only
    await expect(db.flush()).rejects.toThrow(ReadOnlyError)
    await expect(db.close()).rejects.toThrow(ReadOnlyError)
    const again = await openStore(dir)
    expect(again.revision).toBe(5)
    expect(again.recovery.truncated).toEqual([]) // the half record was taken back
    expect(deepEqual(again.get(), streamAt(5))).toBe(true)
    await again.close()
  })

  for (const [what, fail] of [
    ['fsync EIO', { fsync: 'EIO' }],
    ['write EACCES', { write: 'EACCES' }],
  ] as const) {
    it(`sync 'batch', ${what}: flush rejects with the cause, acknowledged revisions stay, later applies throw`, async () => {
      const dir = fresh()
      const inject: { write?: string; fsync?: string } = {}
      const db = await openStore(dir, { value: initialValue, sync: 'batch', io: faulty(inject) })
      for (let i = 1; i <= 20; i++) db.apply(patchFor(i))
      await db.flush()
      Object.assign(inject, fail)
      for (let i = 21; i <= 30; i++) db.apply(patchFor(i)) // in memory, not acknowledged
      const err = await db.flush().catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ReadOnlyError)
      expect((err as Error & { cause: { code: string } }).cause.code).toBe(Object.values(fail)[0])
      expect(() => db.apply(patchFor(31))).toThrow(ReadOnlyError)
      expect(db.revision).toBe(30)
      await expect(db.compact()).rejects.toThrow(ReadOnlyError)
      await db.close().catch(() => undefined)
      const again = await openStore(dir)
      expect(again.revision).toBe(20) // exactly what was acknowledged: the rest was taken back
      expect(deepEqual(again.get(), streamAt(20))).toBe(true)
      await again.close()
    })
  }
})
