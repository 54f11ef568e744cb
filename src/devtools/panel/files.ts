/** Saves `text` as a file the user downloads (the export). */
export function download(text: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.click()
  // The click has started the download synchronously; the URL can go on the next task.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/** A file name for an export: the inspector's name and the time, safe on every file system. */
export function exportName(name: string, now = new Date()): string {
  const safe = name.replace(/[^\w.-]+/g, '-') || 'store'
  return `patchdb-${safe}-${now.toISOString().replace(/[:.]/g, '-')}.json`
}
