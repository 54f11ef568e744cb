/**
 * The practical floor: a hand-written immutable update (copy each node on the path) and a
 * map from pointer to listeners, notified for every prefix of the written path. No
 * validation, no history, no inverse: what a minimal store must do at least.
 */
export class PathCopyStore {
  private readonly listeners = new Map<string, ((value: unknown) => void)[]>()

  constructor(public doc: unknown) {}

  listen(pointer: string, fn: (value: unknown) => void): void {
    const list = this.listeners.get(pointer)
    if (list) list.push(fn)
    else this.listeners.set(pointer, [fn])
  }

  replace(pointer: string, value: unknown): void {
    const segs = pointer.split('/').slice(1)
    this.doc = copyPath(this.doc, segs, 0, value)
    let node = this.doc
    let at = ''
    this.emit(at, node)
    for (const s of segs) {
      node = (node as Record<string, unknown>)[s]
      at += '/' + s
      this.emit(at, node)
    }
  }

  private emit(pointer: string, value: unknown): void {
    const list = this.listeners.get(pointer)
    if (list) for (const fn of list) fn(value)
  }
}

function copyPath(node: unknown, segs: string[], i: number, value: unknown): unknown {
  if (i === segs.length) return value
  const key = segs[i]!
  if (Array.isArray(node)) {
    const copy = node.slice()
    copy[+key] = copyPath(node[+key], segs, i + 1, value)
    return copy
  }
  const obj = node as Record<string, unknown>
  return { ...obj, [key]: copyPath(obj[key], segs, i + 1, value) }
}
