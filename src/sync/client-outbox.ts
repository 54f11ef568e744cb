/**
 * The messages of one connection, sent no faster than the server takes them: a token
 * bucket a little under the server's (`maxMessages` a second, bursts of twice that), so a
 * burst of local writes, or the queue sent after a reconnect, is paced instead of being
 * closed as a flood (close code 4004) and sent again, and again.
 */
export class Outbox<M> {
  readonly #queue: M[] = []
  readonly #rate: number
  readonly #burst: number
  #tokens: number
  #at = Date.now()
  #timer: ReturnType<typeof setTimeout> | null = null

  constructor(
    maxMessages: number,
    private readonly send: (message: M) => void,
  ) {
    this.#rate = Math.max(1, maxMessages * 0.9) / 1000
    this.#burst = Math.max(1, maxMessages * 1.8)
    this.#tokens = this.#burst - 1 // the hello took one
  }

  push(message: M): void {
    this.#queue.push(message)
    if (this.#timer === null) this.#flush()
  }

  /** Drops what waits (the connection is gone; what matters is sent again on the next one). */
  close(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
    this.#queue.length = 0
  }

  #flush(): void {
    this.#timer = null
    const now = Date.now()
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#at) * this.#rate)
    this.#at = now
    while (this.#queue.length > 0 && this.#tokens >= 1) {
      this.#tokens--
      this.send(this.#queue.shift()!)
    }
    if (this.#queue.length > 0) this.#timer = setTimeout(() => this.#flush(), Math.ceil((1 - this.#tokens) / this.#rate))
  }
}
