/**
 * Framing on the extension's ports. Chrome refuses a port message over 64 MiB
 * ("Message exceeded maximum allowed size of 64MiB."), and a 100,000-row document's `hello`
 * can come close; so each message is sent as its JSON text, in one frame or, past
 * `chunkChars`, in chunks that the other side puts back together. JSON text, not the
 * object: its length is what the limit is about, and V8's JSON.stringify is cheaper than
 * Chrome's conversion of a big object.
 */

/** Chunk size in UTF-16 code units. Chrome's JSON of a chunk is at most 3 bytes a unit (escapes, UTF-8): 24 MiB, under the 64 MiB limit. */
export const CHUNK_CHARS = 8 * 2 ** 20
/** The longest message either side sends or puts back together (a hostile page could otherwise make the panel hold any amount). */
export const MAX_MESSAGE_CHARS = 256 * 2 ** 20

export type Frame = { readonly json: string } | { readonly chunk: Chunk }
export interface Chunk {
  /** Numbers the chunked messages of one sender. */
  readonly id: number
  readonly index: number
  readonly count: number
  readonly data: string
}

/** A message or frame that breaks the rules above. */
export class WireError extends Error {
  override readonly name = 'WireError'
}

export interface FrameSender {
  /** Sends `value` as JSON in one frame or several; throws a WireError if its JSON is over `MAX_MESSAGE_CHARS`. */
  send(value: unknown): void
}

export function createSender(post: (frame: Frame) => void, chunkChars = CHUNK_CHARS, maxChars = MAX_MESSAGE_CHARS): FrameSender {
  let nextId = 1
  return {
    send(value) {
      const json = JSON.stringify(value)
      if (json.length > maxChars) throw new WireError(`a message of ${json.length} characters is over the limit of ${maxChars}`)
      if (json.length <= chunkChars) return post({ json })
      const id = nextId++
      const count = Math.ceil(json.length / chunkChars)
      for (let index = 0; index < count; index++) post({ chunk: { id, index, count, data: json.slice(index * chunkChars, (index + 1) * chunkChars) } })
    },
  }
}

export interface FrameReceiver {
  /** The JSON text of a whole message once its last frame is in, else null; a frame that breaks the rules throws a WireError (and drops any message in progress). */
  receive(frame: unknown): string | null
}

/**
 * Puts chunked messages back together. A port delivers in order and a sender sends a
 * message's chunks one after the other, so one message is in progress at a time, its
 * chunks in order; anything else is refused.
 */
export function createReceiver(chunkChars = CHUNK_CHARS, maxChars = MAX_MESSAGE_CHARS): FrameReceiver {
  let current: { id: number; count: number; parts: string[] } | null = null
  const fail = (why: string): never => {
    current = null
    throw new WireError(`patchdb devtools: ${why}`)
  }
  return {
    receive(frame) {
      if (typeof frame !== 'object' || frame === null) return fail('a frame is an object')
      const f = frame as Record<string, unknown>
      if (typeof f.json === 'string') {
        if (current) fail('a whole message arrived in the middle of a chunked one')
        if (f.json.length > chunkChars) fail('a message this long comes in chunks')
        return f.json
      }
      const c = f.chunk as Record<string, unknown> | null | undefined
      if (typeof c !== 'object' || c === null) return fail('a frame holds `json` or a `chunk`')
      const { id, index, count, data } = c
      if (!isWhole(id) || !isWhole(index) || !isWhole(count) || typeof data !== 'string') return fail('a chunk is { id, index, count, data }')
      if (count < 2 || count > Math.ceil(maxChars / chunkChars)) return fail(`a chunked message has 2 to ${Math.ceil(maxChars / chunkChars)} chunks, not ${count}`)
      if (data.length === 0 || data.length > chunkChars || (index < count - 1 && data.length !== chunkChars)) return fail('a chunk is full-size, the last one at most')
      if (index === 0) {
        if (current) fail('a chunked message started in the middle of another')
        current = { id, count, parts: [] }
      } else if (!current || current.id !== id || current.count !== count || current.parts.length !== index) {
        return fail(`chunk ${index} of message ${id} is out of order`)
      }
      current!.parts.push(data)
      if (current!.parts.length < count) return null
      const json = current!.parts.join('')
      current = null
      return json
    },
  }
}

const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
