import type { EntryMessage } from '../protocol'

/**
 * Render attribution from the protocol: the pointers whose watchers the selected revision
 * called, how many, the labels those watchers carry (components named by
 * `usePatch(path, { label })`), and the dispatch time; then every pointer seen called in the recorded
 * revisions (the protocol reports called watchers, not idle ones).
 */
export function WatchersTab({ entry, entries }: { entry: EntryMessage; entries: readonly EntryMessage[] }) {
  const seen = new Map<string, number>()
  for (const e of entries) for (const p of e.calls?.pointers ?? []) seen.set(p.pointer, (seen.get(p.pointer) ?? 0) + 1)
  return (
    <div>
      <h3>Called for #{entry.id}</h3>
      {entry.calls ? (
        <>
          <p>
            {entry.calls.watchers} watcher{entry.calls.watchers === 1 ? '' : 's'} in {entry.calls.ms.toFixed(2)} ms
          </p>
          <table className="compact">
            <tbody>
              {entry.calls.pointers.map((p) => (
                <tr key={p.pointer}>
                  <th scope="row">{p.pointer || '""'}</th>
                  <td>{p.calls}</td>
                  <td>{p.labels?.map((l) => `${l.label}${l.calls === 1 ? '' : ` ×${l.calls}`}`).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p className="note">No attribution for this revision (it was not dispatched while recording, or is out of the head).</p>
      )}
      <h3>Pointers with watchers called in this log</h3>
      {seen.size === 0 ? (
        <p className="note">None recorded yet.</p>
      ) : (
        <table className="compact">
          <tbody>
            {[...seen].map(([p, n]) => (
              <tr key={p}>
                <th scope="row">{p || '""'}</th>
                <td>{n} revision{n === 1 ? '' : 's'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
