import type { Operation } from 'patchdb'
import type { Row } from '../protocol'

/** The patch of the "update every 10th" operation, shared by both patchdb pages. */
export function updateEvery10th(rows: readonly Readonly<Row>[]): Operation[] {
  const patch: Operation[] = []
  for (let i = 0; i < rows.length; i += 10) patch.push({ op: 'replace', path: `/rows/${i}/label`, value: rows[i]!.label + ' !!!' })
  return patch
}

/** Appending rows: one `add` at the end per row, as the keyed index follows them without a rescan. */
export const append = (rows: readonly Row[]): Operation[] => rows.map((value) => ({ op: 'add', path: '/rows/-', value }))

/** The document of both patchdb pages. */
export interface Doc {
  rows: Row[]
  selected: number | null
}
