/** What the client needs of a WebSocket: the browser's, Node 22's global, or the `ws` package's. */
export interface SocketLike {
  readonly readyState: number
  binaryType: string
  send(data: string | Uint8Array): void
  close(code?: number, reason?: string): void
  onopen: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: { code: number; reason: string }) => void) | null
  onerror: ((event: unknown) => void) | null
}

export type SocketConstructor = new (url: string, protocols?: string | string[]) => SocketLike

/**
 * The WebSocket class to use: the one given, else the global one (browsers, Node >= 22),
 * else the `ws` package (an optional peer dependency: Node 20 has no global WebSocket).
 * The package name is a variable so that bundlers building for the browser, where the
 * global always exists, do not try to bundle it.
 */
export async function socketClass(given?: SocketConstructor): Promise<SocketConstructor> {
  if (given) return given
  const global = (globalThis as { WebSocket?: SocketConstructor }).WebSocket
  if (global) return global
  const name = 'ws'
  try {
    const mod = (await import(/* @vite-ignore */ name)) as { WebSocket?: SocketConstructor; default?: SocketConstructor }
    const ws = mod.WebSocket ?? mod.default
    if (ws) return ws
  } catch (e) {
    throw new Error("patchdb/client: this runtime has no global WebSocket; install the 'ws' package (npm install ws) or pass options.WebSocket", { cause: e })
  }
  throw new Error("patchdb/client: the 'ws' package exports no WebSocket class")
}

/** A message's data as the protocol decodes it: text, or bytes (binaryType is 'arraybuffer'). */
export function frameData(data: unknown): string | Uint8Array | null {
  if (typeof data === 'string') return data
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  return null
}
