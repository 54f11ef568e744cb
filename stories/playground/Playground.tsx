import { useEffect, useState } from 'react'
import { PatchError, type Patch, type Revision } from 'patchdb'
import { usePatch, useStore } from 'patchdb/react'

/** What one watcher received for the last patch: nothing (it did not fire), or its scoped patch. */
type Calls = Record<string, Patch | null>

const pretty = (v: unknown) => JSON.stringify(v, null, 1)

/**
 * A JSON Patch playground over the story's store: type a patch and apply it, then see the
 * document, the inverse the store recorded, and for each watched pointer whether its
 * watcher fired and the patch it received, rewritten relative to its pointer.
 */
export function Playground({ pointers }: { pointers: readonly string[] }) {
  const store = useStore()
  // Watched, so that the Patches panel's time travel shows here too.
  const doc = usePatch('')
  const [text, setText] = useState('')
  const [result, setResult] = useState<{ revision: Revision; inverse: Patch } | null>(null)
  const [calls, setCalls] = useState<Calls>({})
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    const received: Calls = {}
    const offs = pointers.map((p) => store.watch(p, (_value, revision) => void (received[p] = revision.patch)))
    // Collected during one apply, shown after it.
    const offAll = store.subscribe(() => {
      setCalls(Object.fromEntries(pointers.map((p) => [p, received[p] ?? null])))
      for (const p of pointers) delete received[p]
    })
    return () => [...offs, offAll].forEach((off) => off())
  }, [store, pointers])

  const apply = () => {
    setError(null)
    let patch: Patch
    try {
      patch = JSON.parse(text) as Patch
      const revision = store.apply(patch, { label: 'playground' })
      if (!revision) return setError('No change: the patch leaves the document as it was, so no revision was made and no watcher fired.')
      setResult({ revision, inverse: store.log(revision.id - 1)[0]!.inverse })
    } catch (e) {
      setError(e instanceof PatchError ? `${e.code}: ${e.message}` : `Not JSON: ${(e as Error).message}`)
    }
  }

  return (
    <main className="playground">
      <h1>JSON Patch playground</h1>
      <label htmlFor="patch">Patch (RFC 6902, JSON)</label>
      <textarea id="patch" rows={5} cols={70} value={text} onChange={(e) => setText(e.target.value)} />
      <p>
        <button type="button" onClick={apply}>
          Apply
        </button>
      </p>
      {error && <p role="alert">{error}</p>}
      <section aria-label="Document">
        <h2>Document</h2>
        <pre>{pretty(doc)}</pre>
      </section>
      {result && (
        <section aria-label="Inverse">
          <h2>Inverse of revision {result.revision.id}</h2>
          <pre>{pretty(result.inverse)}</pre>
        </section>
      )}
      <table aria-label="Watchers">
        <caption>Watchers</caption>
        <thead>
          <tr>
            <th scope="col">Pointer</th>
            <th scope="col">Fired</th>
            <th scope="col">Scoped patch it received</th>
          </tr>
        </thead>
        <tbody>
          {pointers.map((p) => (
            <tr key={p}>
              <th scope="row">
                <code>{p === '' ? "'' (root)" : p}</code>
              </th>
              <td>{calls[p] ? 'yes' : 'no'}</td>
              <td>
                <pre>{calls[p] ? pretty(calls[p]) : ''}</pre>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  )
}
