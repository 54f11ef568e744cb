import type { Patch } from 'patchdb'

/** A patch, one operation per line, coloured by kind. */
export function PatchView({ patch }: { patch: Patch }) {
  if (patch.length === 0) return <p className="note">(no operations)</p>
  return (
    <div>
      {patch.map((op, i) => {
        const { op: kind, path, ...rest } = op
        return (
          <pre key={i} className="op">
            <span className={`kind ${kind}`}>{kind}</span> {path || '""'}
            {Object.keys(rest).length > 0 && ` ${JSON.stringify(rest)}`}
          </pre>
        )
      })}
    </div>
  )
}
