import { applyPatch, type Patch } from 'patchdb'
// Direct IndexedDB access, to inspect what patchdb/browser wrote and to plant bad records.
const request = <T>(r: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error)
  })

export async function openRaw(name: string, stores: string[] = ['meta', 'log']): Promise<IDBDatabase> {
  const open = indexedDB.open(name, 1)
  open.onupgradeneeded = () => {
    for (const s of stores) open.result.createObjectStore(s)
  }
  return request(open)
}

export async function readRaw(name: string): Promise<{ snapshot: any; log: { key: IDBValidKey; value: any }[] }> {
  const db = await openRaw(name)
  try {
    const tx = db.transaction(['meta', 'log'], 'readonly')
    const [snapshot, keys, values] = await Promise.all([
      request(tx.objectStore('meta').get('snapshot')),
      request(tx.objectStore('log').getAllKeys()),
      request(tx.objectStore('log').getAll()),
    ])
    return { snapshot, log: keys.map((key, i) => ({ key, value: values[i] })) }
  } finally {
    db.close()
  }
}

/** Writes records as given: `meta` and `log` entries as [key, value] pairs. */
export async function plant(name: string, records: { meta?: [IDBValidKey, unknown][]; log?: [IDBValidKey, unknown][] }): Promise<void> {
  const db = await openRaw(name)
  try {
    const tx = db.transaction(['meta', 'log'], 'readwrite')
    for (const [k, v] of records.meta ?? []) tx.objectStore('meta').put(v, k)
    for (const [k, v] of records.log ?? []) tx.objectStore('log').put(v, k)
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error)
    })
  } finally {
    db.close()
  }
}

/** The document IndexedDB holds: its snapshot with its log replayed, and the ids of both. */
export async function persisted(name: string): Promise<{ id: number; value: any; snapshotId: number; logIds: number[] }> {
  const raw = await readRaw(name)
  const patches = raw.log.map((r) => r.value.patch as Patch)
  return {
    id: raw.log.length ? raw.log[raw.log.length - 1]!.value.id : raw.snapshot.id,
    value: applyPatch(raw.snapshot.value, ...patches).value,
    snapshotId: raw.snapshot.id,
    logIds: raw.log.map((r) => r.value.id),
  }
}

/** The writer tab the database names (its 'writer' record), or undefined. */
export async function namedWriter(name: string): Promise<string | undefined> {
  const db = await openRaw(name)
  try {
    const record = await request(db.transaction('meta', 'readonly').objectStore('meta').get('writer'))
    return (record as { tab?: string } | undefined)?.tab
  } finally {
    db.close()
  }
}
