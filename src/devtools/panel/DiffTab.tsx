import { getPath, type Patch } from 'patchdb'
import { changedPointers, preview } from './changed'

/** Before and after, at each pointer the revision wrote. */
export function DiffTab({ patch, before, after }: { patch: Patch; before: unknown; after: unknown }) {
  const pointers = changedPointers(patch, before)
  if (pointers.length === 0) return <p className="note">This revision changed nothing.</p>
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Pointer</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {pointers.map((p) => (
          <tr key={p}>
            <th scope="row">{p || '""'}</th>
            <td className="before">{preview(getPath(before, p))}</td>
            <td className="after">{preview(getPath(after, p))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
