import { applyPatch, type Dump } from 'patchdb'
import type { EntryMessage, ExportedLog, InspectorMessage } from 'patchdb/devtools'

/**
 * The log a panel has seen, so that "keep history on reload" can hand it to the reloaded
 * page: once the page is gone, nobody else has it. It holds the entries the panel already
 * holds (the same objects), and folds the oldest into the base past twice the inspector's
 * limit, as the inspector does past its limit, so that it stays bounded.
 */
export interface HistoryTracker {
  see(message: InspectorMessage): void
  /** The log seen so far, or null if it holds no revision. */
  log(): ExportedLog | null
}

export function createHistoryTracker(): HistoryTracker {
  let base: Dump | null = null
  let limit = Infinity
  let entries: EntryMessage[] = []
  const fold = () => {
    const leaving = entries.splice(0, entries.length - limit)
    let value = base!.value
    for (const e of leaving) if (!e.skipped && !e.error) value = applyPatch(value, e.patch).value
    base = { id: leaving[leaving.length - 1]!.id, value }
  }
  return {
    see(m) {
      if (m.type === 'hello') {
        limit = m.limit
        base = m.base
        entries = m.entries.slice()
      } else if (m.type === 'entries') {
        base = m.base
        entries = m.entries.slice()
      } else if (m.type === 'entry' && base) {
        let i = entries.length - 1 // a changed entry is most often a recent one
        while (i >= 0 && entries[i]!.id !== m.entry.id) i--
        if (i >= 0) entries[i] = m.entry
        else entries.push(m.entry)
        if (entries.length > 2 * limit) fold()
      }
    },
    log() {
      if (!base || entries.length === 0) return null
      return {
        format: 'patchdb-log',
        version: 1,
        base,
        revisions: entries.map(({ id, patch, time, origin, label, skipped }) => (label === undefined ? { id, patch, time, origin, skipped } : { id, patch, time, origin, label, skipped })),
      }
    },
  }
}
