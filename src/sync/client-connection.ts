import { backoffDelay, type BackoffOptions } from './client-backoff'
import { Outbox } from './client-outbox'
import { frameData, socketClass, type SocketConstructor, type SocketLike } from './client-socket'
import { SyncError } from './client-errors'
import { CLOSE, decodeWith, encodeWith, ProtocolError, readServerMessage, type CborCodec, type ClientMessage, type Encoding, type Hello, type Limits, type ServerMessage } from './protocol'

export interface ConnectionOptions {
  url: string
  WebSocket?: SocketConstructor
  encoding: Encoding
  /** Largest frame taken from the server. */
  maxFrame: number
  /** How long a new socket may wait for `welcome`, ms. */
  timeout: number
  backoff: BackoffOptions
}

/** What the sync client does with its connection's events. */
export interface ConnectionHandler {
  /** A socket is being opened; `hello()` is asked once it is. */
  opening(): void
  hello(): Hello
  /** A server message, validated (a bad frame never gets here: the socket is dropped). */
  message(message: ServerMessage): void
  /**
   * The socket is gone; a reconnect is scheduled. `error` says why (null: a normal close);
   * `ours` when the client closed it (a bad frame, silence) rather than the server or the network.
   */
  closed(error: Error | null, ours: boolean): void
  /** Nothing can connect (no WebSocket class), or the server said trying again cannot help (REVOKED, VERSION): the client gives up. */
  failed(error: Error): void
}

/**
 * One WebSocket at a time to the server, and the loop that replaces it: frames decoded and
 * validated on the way in, paced on the way out (Outbox), heartbeats both ways, and a
 * reconnect after each drop with exponential backoff and full jitter (at once when the
 * browser says it is back online). What the messages mean is the handler's business.
 */
export class Connection {
  #socket: SocketLike | null = null
  #attempt = 0
  #retry: ReturnType<typeof setTimeout> | null = null
  #welcomeBy: ReturnType<typeof setTimeout> | null = null
  #heartbeat: ReturnType<typeof setInterval> | null = null
  #lastHeard = 0
  #outbox: Outbox<ClientMessage> | null = null
  #closed = false
  #cbor: CborCodec | null = null

  constructor(
    private readonly options: ConnectionOptions,
    private readonly handler: ConnectionHandler,
  ) {}

  start(): void {
    ;(globalThis as { addEventListener?: EventTarget['addEventListener'] }).addEventListener?.('online', this.#online)
    void this.#connect()
  }

  /** The server said welcome: sending may start, at its rate, and silence is watched. */
  welcomed(limits: Limits): void {
    this.#attempt = 0
    this.#stop(this.#welcomeBy)
    this.#outbox = new Outbox(limits.maxMessages, (m) => this.#sendNow(m))
    // Bounded both ways: a timer past 2^31-1 ms fires after 1 ms (a server's welcome is untrusted).
    const every = Math.min(Math.max(50, limits.heartbeat), 2 ** 30)
    this.#heartbeat = setInterval(() => {
      if (Date.now() - this.#lastHeard > 2 * every) this.drop(CLOSE.TIMEOUT, `nothing from the server for ${2 * every} ms`)
      else this.send({ type: 'heartbeat' })
    }, every)
  }

  /** Sends once welcomed (before, or with no socket, the message is dropped: it is sent again after the next welcome). */
  send(message: ClientMessage): void {
    this.#outbox?.push(message)
  }

  /** Closes the socket for a reason of the client's (a bad frame, silence); a reconnect follows, at once when `soon`. */
  drop(code: number, reason: string, soon = false): void {
    const socket = this.#socket
    if (!socket) return
    this.#end()
    detach(socket)
    try {
      socket.close(code >= 4000 ? code : 4000, reason.slice(0, 120))
    } catch {
      socket.close()
    }
    this.handler.closed(new ProtocolError(code as never, reason), true)
    this.#again(soon)
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    ;(globalThis as { removeEventListener?: EventTarget['removeEventListener'] }).removeEventListener?.('online', this.#online)
    this.#stop(this.#retry)
    const socket = this.#socket
    this.#end()
    if (socket) {
      detach(socket)
      socket.close(1000, 'client closed')
    }
  }

  async #connect(): Promise<void> {
    this.#retry = null
    if (this.#closed) return
    this.handler.opening()
    let Socket: SocketConstructor
    try {
      Socket = await socketClass(this.options.WebSocket)
      // Loaded on first use: a client speaking JSON never ships cbor-x.
      if (this.options.encoding === 'cbor') this.#cbor ??= (await import('./cbor-frames')).cbor
    } catch (e) {
      return this.handler.failed(e as Error)
    }
    if (this.#closed) return
    let socket: SocketLike
    try {
      socket = new Socket(this.options.url)
    } catch (e) {
      this.handler.closed(e as Error, true)
      return this.#again()
    }
    this.#socket = socket
    socket.binaryType = 'arraybuffer'
    this.#welcomeBy = setTimeout(() => this.drop(CLOSE.TIMEOUT, 'no welcome from the server in time'), this.options.timeout)
    socket.onopen = () => {
      this.#lastHeard = Date.now()
      this.#sendNow(this.handler.hello())
    }
    socket.onmessage = (event) => {
      this.#lastHeard = Date.now()
      let message: ServerMessage
      try {
        const data = frameData(event.data)
        if (data === null) throw new ProtocolError(CLOSE.MALFORMED, 'a frame of an unknown kind')
        message = readServerMessage(decodeWith(data, this.options.maxFrame, this.#cbor))
      } catch (e) {
        const error = e instanceof ProtocolError ? e : new ProtocolError(CLOSE.MALFORMED, String(e))
        return this.drop(error.code, error.message)
      }
      this.handler.message(message)
    }
    socket.onerror = () => {} // onclose follows, with the code
    socket.onclose = (event) => {
      this.#end()
      const why = `the connection closed (${event.code}${event.reason ? `: ${event.reason}` : ''})`
      // Access ended, or a version the server does not speak: trying again cannot help.
      if (event.code === CLOSE.REVOKED) return this.handler.failed(new SyncError('REVOKED', why))
      if (event.code === CLOSE.VERSION) return this.handler.failed(new SyncError('VERSION', why))
      this.handler.closed(event.code === 1000 ? null : new Error(why), false)
      this.#again()
    }
  }

  #sendNow(message: ClientMessage): void {
    this.#socket?.send(encodeWith(message, this.options.encoding, this.#cbor))
  }

  /** Forgets the current socket and what belongs to it. */
  #end(): void {
    this.#socket = null
    this.#stop(this.#welcomeBy)
    this.#welcomeBy = null
    if (this.#heartbeat !== null) clearInterval(this.#heartbeat)
    this.#heartbeat = null
    this.#outbox?.close()
    this.#outbox = null
  }

  #again(soon = false): void {
    if (this.#closed) return
    const delay = soon ? 0 : backoffDelay(this.#attempt++, this.options.backoff)
    this.#retry = setTimeout(() => void this.#connect(), delay)
  }

  /** The browser says the network is back: a reconnect waiting out its backoff goes now. */
  readonly #online = (): void => {
    if (this.#retry === null) return
    this.#stop(this.#retry)
    this.#attempt = 0
    void this.#connect()
  }

  #stop(timer: ReturnType<typeof setTimeout> | null): void {
    if (timer !== null) clearTimeout(timer)
  }
}

/**
 * Stops hearing from a socket being closed. Its error handler stays (a no-op): the ws
 * package throws an 'error' event that has no listener, as closing before the open does.
 */
function detach(socket: SocketLike): void {
  socket.onclose = socket.onmessage = socket.onopen = null
  socket.onerror = () => {}
}
