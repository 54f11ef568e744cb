import { createServer, connect, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

/**
 * A TCP relay on loopback between clients and a server: `cut()` drops every connection
 * through it at once, as a network failure does (no close frame, acks in flight lost), and
 * `down` refuses new ones until set back. The client reconnects through it as through any network.
 */
export interface Proxy {
  url: string
  cut(): void
  down: boolean
  /** Where connections go (a restarted server may listen on another port). */
  target: number
  close(): Promise<void>
}

export async function proxy(target: number | string): Promise<Proxy> {
  const pairs = new Set<[Socket, Socket]>()
  const p = { down: false, target: Number(target) }
  const server = createServer((inbound) => {
    if (p.down) return void inbound.destroy()
    const outbound = connect(p.target, '127.0.0.1')
    const pair: [Socket, Socket] = [inbound, outbound]
    pairs.add(pair)
    const end = () => {
      pairs.delete(pair)
      inbound.destroy()
      outbound.destroy()
    }
    inbound.on('error', end).on('close', end)
    outbound.on('error', end).on('close', end)
    inbound.pipe(outbound)
    outbound.pipe(inbound)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return Object.assign(p, {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut() {
      for (const [a, b] of pairs) {
        a.destroy()
        b.destroy()
      }
      pairs.clear()
    },
    close() {
      this.cut()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  })
}
