import { brandError } from 'patchdb'
import type { RejectCode } from './protocol'

/** Why a local write or a lease did not make it to the server, or why the client stopped. */
export type SyncErrorCode =
  | RejectCode // the server refused it (its code: FORBIDDEN, LEASED, TEST_FAILED, ...)
  | 'CONFLICT' // a server revision made it inapplicable before it was sent: dropped, never half-applied
  | 'QUEUE_FULL' // options.maxPending writes are waiting already: the write is refused
  | 'TOO_MANY_OPS' // more operations than the server takes in one mutation: the write is refused
  | 'TOO_BIG' // a write larger than the server's frame limit: the write is refused
  | 'CLOSED' // client.close() was called while it waited (a mutation stays queued in a local store)
  | 'REVOKED' // the server ended this client's access (close 4007): the client stopped (status.error)
  | 'VERSION' // the server speaks no protocol version of this client's (close 4001): the client stopped

/** A write or lease refused, with the mutation number it had (0 when it got none). */
export class SyncError extends Error {
  static {
    brandError(this, 'SyncError')
  }
  override readonly name = 'SyncError'
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    readonly mutation = 0,
  ) {
    super(message)
  }
}
