import type { Patch } from 'patchdb'
import type { EntryMessage } from '../protocol'
import { PatchView } from './PatchView'

/** The selected revision's patch and its inverse; under a pointer filter, the patch scoped to it first. */
export function PatchTab({ entry, scoped, pointer }: { entry: EntryMessage; scoped?: Patch; pointer?: string }) {
  return (
    <div>
      {entry.error && <p className="note" role="note">Does not apply: {entry.error.message} ({entry.error.code})</p>}
      {scoped && (
        <>
          <h3>Scoped to {pointer}</h3>
          <PatchView patch={scoped} />
        </>
      )}
      <h3>Patch</h3>
      <PatchView patch={entry.patch} />
      <h3>Inverse</h3>
      <PatchView patch={entry.inverse} />
      {entry.stack && (
        <>
          <h3>Written at</h3>
          <pre>{entry.stack}</pre>
        </>
      )}
    </div>
  )
}
