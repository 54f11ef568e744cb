import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { CorruptionError, openStore, ReadOnlyError } from 'patchdb/node'
import { describe, expect, it } from 'vitest'
import { dirs, only } from './fixtures/dirs'

const fresh = dirs('read-only')

/** Every file of `dir` with its size, modification time and content hash. */
function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name)
    const stat = fs.statSync(file)
    out[name] = `${stat.size} ${stat.mtimeMs} ${createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`
  }
  return out
}

/**
 * Runs `f` as an unprivileged user: root ignores a directory's permissions, so when the
 * tests run as root the effective uid is switched to nobody's (65534) and back.
 */
async function unprivileged<R>(f: () => Promise<R>): Promise<R> {
  if (process.getuid?.() !== 0) return f()
  process.seteuid!(65534)
  try {
    return await f()
  } finally {
    process.seteuid!(0)
  }
}

async function storeWithTwoTodos(dir: string) {
  const db = await openStore(dir, { value: { todos: [] as string[] }, sync: 'always' })
  db.set('/todos/0', 'a')
  db.set('/todos/1', 'b')
  await db.close()
}

const writes = (db: Awaited<ReturnType<typeof openStore<{ todos: string[] }>>>) => [
  () => db.set('/todos/0', 'c'),
  () => db.apply([{ op: 'remove', path: '/todos/0' }]),
  () => db.transact((tx) => tx.set('/todos', [])),
  () => db.update({ id: db.revision + 1, patch: [{ op: 'add', path: '/todos/-', value: 'd' }] }),
]

describe('readOnly: true', () => {
  it('opens a store in a directory it cannot write (no lock written), and refuses every write with ReadOnlyError', async () => {
    const dir = fresh()
    await storeWithTwoTodos(dir)
    const before = listing(dir)
    fs.chmodSync(dir, 0o555)
    try {
      await unprivileged(async () => {
        // The directory really is read-only here: a writer cannot even create its lock.
        await expect(openStore(dir)).rejects.toMatchObject({ code: 'EACCES' })
        const db = await openStore<{ todos: string[] }>(dir, { readOnly: true })
        expect(db.get()).toEqual({ todos: ['a', 'b'] })
        expect(db.revision).toBe(2)
        for (const write of writes(db)) expect(write).toThrow(ReadOnlyError)
        expect(db.get()).toEqual({ todos: ['a', 'b'] })
        expect(db.revision).toBe(2)
        await expect(db.compact()).rejects.toBeInstanceOf(ReadOnlyError)
        await db.flush()
        await db.close()
      })
    } finally {
      fs.chmodSync(dir, 0o755)
    }
    expect(listing(dir)).toEqual(before)
  })

  it('changes nothing in the directory: no LOCK, a torn tail left out but not cut, stray files kept', async () => {
    const dir = fresh()
    await storeWithTwoTodos(dir)
    const log = only(dir, '.log')
    fs.appendFileSync(log, Buffer.from([7, 0, 0, 0, 1, 2])) // a write a crash interrupted
    const dead = spawnSync(process.execPath, ['-e', '']).pid!
    fs.writeFileSync(path.join(dir, `LOCK.${dead}.tmp`), `${dead}\n`)
    fs.writeFileSync(path.join(dir, '0000000099.snap.tmp'), 'half a snapshot')
    const before = listing(dir)
    const db = await openStore<{ todos: string[] }>(dir, { readOnly: true })
    expect(fs.existsSync(path.join(dir, 'LOCK'))).toBe(false)
    expect(db.get()).toEqual({ todos: ['a', 'b'] })
    expect(db.recovery.truncated).toEqual([{ file: log, offset: fs.statSync(log).size - 6, bytes: 6 }])
    for (const write of writes(db)) expect(write).toThrow(ReadOnlyError)
    await db.close()
    expect(listing(dir)).toEqual(before)
    // A writer then cuts the tail: it was a torn tail indeed.
    const writer = await openStore(dir)
    expect(writer.recovery.truncated).toHaveLength(1)
    await writer.close()
  })

  it('with salvage, reads past damage without repairing anything: the damage is reported and stays on disk', async () => {
    const dir = fresh()
    await storeWithTwoTodos(dir)
    const log = only(dir, '.log')
    const bytes = fs.readFileSync(log)
    const at = bytes.indexOf('b', bytes.indexOf('todos', bytes.lastIndexOf('id')), 'latin1') // in revision 2's record
    bytes[at] ^= 0x01
    fs.writeFileSync(log, bytes)
    const before = listing(dir)
    await expect(openStore(dir, { readOnly: true })).rejects.toBeInstanceOf(CorruptionError)
    const db = await openStore<{ todos: string[] }>(dir, { readOnly: true, salvage: true })
    expect(db.get()).toEqual({ todos: ['a'] })
    expect(db.recovery.dropped[0]).toMatchObject({ file: log })
    for (const write of writes(db)) expect(write).toThrow(ReadOnlyError)
    await db.close()
    expect(listing(dir)).toEqual(before)
  })

  it('reads while a writer holds the store open, seeing what it flushed', async () => {
    const dir = fresh()
    const writer = await openStore(dir, { value: { n: 0 }, sync: 'batch' })
    writer.set('/n', 1)
    await writer.flush()
    const reader = await openStore(dir, { readOnly: true })
    expect(reader.get()).toEqual({ n: 1 })
    writer.set('/n', 2)
    await writer.close()
    await reader.close()
    const again = await openStore(dir, { readOnly: true })
    expect(again.get()).toEqual({ n: 2 })
    await again.close()
  })

  it('refuses a directory without a store, creating nothing', async () => {
    const parent = fresh()
    const missing = path.join(parent, 'missing')
    await expect(openStore(missing, { readOnly: true })).rejects.toThrow(/ENOENT/)
    expect(fs.existsSync(missing)).toBe(false)
    await expect(openStore(parent, { readOnly: true })).rejects.toThrow(/holds no store to open read-only/)
    expect(fs.readdirSync(parent)).toEqual([])
  })
})
