import fs from 'node:fs'
import { PatchError } from 'patchdb'
import { openStore } from 'patchdb/node'
import { describe, expect, it } from 'vitest'
import { dirs, only } from './fixtures/dirs'
import { thrown } from './fixtures/thrown'

const fresh = dirs('unicode')
const halfEmoji = '😀'.slice(0, 1) // '\ud83d', an emoji cut in half by slice()

/** The exact UTF-16 code units of a string, so that a change to U+FFFD cannot hide. */
const units = (s: string) => Array.from(s, (c) => c.codePointAt(0))

describe('strings reopen exactly, or are refused at apply', () => {
  it('lone surrogates are refused with a PatchError (apply, set, update, keys, values, paths), and nothing reaches the disk', async () => {
    const dir = fresh()
    const db = await openStore<Record<string, unknown>>(dir, { value: { a: 'ok' }, sync: 'always' })
    const log = only(dir, '.log')
    const size = fs.statSync(log).size
    const writes = [
      () => db.apply([{ op: 'add', path: '/v', value: halfEmoji }]),
      () => db.apply([{ op: 'add', path: '/v', value: { nested: ['x', '\ude00'] } }]),
      () => db.apply([{ op: 'add', path: '/v', value: { [halfEmoji]: 1 } }]),
      () => db.apply([{ op: 'add', path: `/${halfEmoji}`, value: 1 }]),
      () => db.set('/v', `a${halfEmoji}b`),
      () => db.set('/v', { [`k\udbff`]: true }),
      () => db.update({ id: 1, value: { v: halfEmoji } }),
      () => db.transact((tx) => tx.set('/v', halfEmoji)),
    ]
    for (const write of writes) {
      const error = thrown(write)
      expect(error).toBeInstanceOf(PatchError)
      expect((error as PatchError).code).toBe('VALUE_INVALID')
    }
    expect(db.revision).toBe(0)
    await db.flush()
    expect(fs.statSync(log).size).toBe(size)
    await db.close()
    const again = await openStore<Record<string, unknown>>(dir)
    expect(again.get()).toEqual({ a: 'ok' })
    await again.close()
  })

  it('well-formed odd Unicode reopens code unit for code unit, in keys and values, from the log and from a snapshot', async () => {
    const odd = ['😀', '\u2028', '\u2029', 'e\u0301', '\u0000', '\uffff', '\ufffd', '\u{10ffff}', '~/', '']
    const value = Object.fromEntries(odd.map((s, i) => [s, [s, `${i}${s}${s}`]]))
    const dir = fresh()
    const db = await openStore<Record<string, unknown>>(dir, { value: {} })
    db.set('/fromLog', value)
    await db.close()
    for (const step of ['log', 'snapshot']) {
      const again = await openStore<Record<string, Record<string, string[]>>>(dir)
      const got = again.get().fromLog!
      expect(Object.keys(got).map(units), step).toEqual(Object.keys(value).map(units))
      for (const s of odd) expect(got[s]!.map(units), step).toEqual([units(s), units(value[s]![1]!)])
      if (step === 'log') await again.compact()
      await again.close()
    }
  })
})
