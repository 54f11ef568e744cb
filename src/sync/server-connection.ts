import type { WebSocket } from 'ws'
import { encodeFrame } from './cbor-frames'
import type { CloseCode, Encoding, ServerMessage } from './protocol'
import type { Grants } from './server-grants'

/** An encoded frame, ready for ws.send: bytes, and whether they go as a text frame. */
export interface Frame {
  data: Buffer
  text: boolean
}

export function frameOf(message: ServerMessage, encoding: Encoding): Frame {
  const encoded = encodeFrame(message, encoding)
  return typeof encoded === 'string' ? { data: Buffer.from(encoded), text: true } : { data: Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength), text: false }
}

/**
 * One client's socket and what the server knows of it. Holds no queue of its own: what it
 * sends sits in the socket's buffer (`bufferedAmount`), which is bounded by `maxQueue`.
 */
export class Connection<P = unknown> {
  /** Set by hello. */
  client = ''
  encoding: Encoding = 'json'
  grants: Grants | undefined
  /** Said hello and got its welcome: revisions go to it. */
  live = false
  /**
   * Its socket buffer passed `maxQueue`: revisions are not sent until it drains, then one
   * dump catches it up.
   */
  stale = false
  /** Hash of the principal's identity, which the client id is bound to (set at hello). */
  owner = ''
  /** Bytes of the last dump sent to it: what it may legitimately have unread besides the queue. */
  dumped = 0
  /** The last revision it has (sent, or folded into a dump). */
  at = 0
  /** When it connected, and when it last sent a frame or answered a ping (ms). */
  readonly opened: number
  seen: number
  /** Whether anything was sent since the last heartbeat tick. */
  sent = false
  /** Token bucket of the flood limit. */
  #tokens: number
  #refilled: number
  /** Mutations read but not yet answered: bounded by the flood limit. */
  inFlight = 0
  closed = false

  constructor(
    readonly ws: WebSocket,
    readonly principal: P,
    readonly maxMessages: number,
    now: number,
  ) {
    this.opened = now
    this.seen = now
    this.#tokens = 2 * maxMessages
    this.#refilled = now
  }

  /** Takes one message from the flood budget: false when the client sends faster than allowed. */
  take(now: number): boolean {
    this.seen = now
    this.#tokens = Math.min(2 * this.maxMessages, this.#tokens + ((now - this.#refilled) * this.maxMessages) / 1000)
    this.#refilled = now
    if (this.#tokens < 1) return false
    this.#tokens -= 1
    return true
  }

  /** Sends a control frame (welcome, ack, reject, heartbeat, a dump): these ignore backpressure. */
  send(frame: Frame, done?: (err?: Error) => void): void {
    if (this.closed) return
    this.sent = true
    this.ws.send(frame.data, { binary: !frame.text }, done)
  }

  /**
   * Sends a revision unless the socket is over `maxQueue`. The frame that crosses the bound
   * still goes, with a callback: once it is written out, the socket has drained and `onDrain`
   * sends the dump that catches the client up. Returns false when the client is stale.
   */
  deliver(frame: Frame, maxQueue: number, onDrain: (c: Connection<P>) => void): boolean {
    if (this.stale || this.closed) return false
    if (this.ws.bufferedAmount + frame.data.length <= maxQueue) {
      this.send(frame)
      return true
    }
    this.stale = true
    this.send(frame, (err) => {
      if (!err) onDrain(this)
    })
    return true
  }

  /** Ends the connection: an error message, then the close frame with the same code and reason. */
  close(code: CloseCode, reason: string): void {
    if (this.closed) return
    const why = reason.replace(/[^\x20-\x7e]/g, '?').slice(0, 120) // a close frame's reason holds at most 123 bytes
    try {
      this.send(frameOf({ type: 'error', code, reason: why }, this.encoding))
      this.ws.close(code, why)
    } catch {
      this.ws.terminate()
    }
    this.closed = true
  }

  /** Drops a dead socket at once: nobody is there to take a close frame. */
  terminate(): void {
    this.closed = true
    this.ws.terminate()
  }
}
