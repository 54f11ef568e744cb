import type { Patch, Store } from 'patchdb'
import type { AppState, Todo } from './state'

const quote = (title: string) => `'${title.length > 24 ? `${title.slice(0, 23)}…` : title}'`
const ROW = /^\/todos\/(\d+|-)(?:\/(title|done))?$/

/**
 * Names an undo step for the buttons ("add 'milk'"), from its patch (what redo writes) and
 * its inverse (what undo writes back): a removed todo's title is in the inverse.
 */
export function describeChange(store: Store<AppState>) {
  return ({ patch, inverse }: { patch: Patch; inverse: Patch }): string | undefined => {
    const first = patch[0]
    if (!first) return undefined
    if (patch.length > 1 && patch.every((op) => op.op === 'remove')) return `clear ${patch.length} done`
    const row = ROW.exec(first.path)
    if (!row) return 'change'
    const [, i, field] = row
    const restored = inverse.find((op) => op.op === 'add' || op.op === 'replace')
    const old = restored && 'value' in restored ? restored.value : undefined
    if (first.op === 'add' && !field) return `add ${quote((first.value as unknown as Todo).title)}`
    if (first.op === 'remove' && !field) return `delete ${quote((old as unknown as Todo | undefined)?.title ?? '')}`
    if (first.op === 'replace' && field === 'done') return `${first.value ? 'complete' : 'reopen'} ${quote(store.get(['todos', Number(i), 'title']) ?? '')}`
    if (first.op === 'replace' && field === 'title') return `rename ${quote(String(old))}`
    return 'change'
  }
}
