import { brandError } from './brand'

/** Why a patch was refused. Exported so callers can switch on it exhaustively. */
export type PatchErrorCode =
  | 'OPERATION_INVALID' // not an RFC 6902 operation object (unknown op, missing member)
  | 'POINTER_INVALID' // a path/from that is not an RFC 6901 pointer
  | 'PATH_NOT_FOUND' // the target (or its parent, or `from`) does not exist
  | 'INDEX_OUT_OF_BOUNDS' // an array index past the end, or not a valid index
  | 'TEST_FAILED' // a `test` operation did not match
  | 'MOVE_INTO_ITSELF' // `move` of a value into one of its own children
  | 'UNSAFE_PATH' // a segment that could reach a prototype
  | 'VALUE_INVALID' // not plain JSON: function, undefined, NaN, Infinity, cycle, class instance, lone surrogate
  | 'TOO_DEEP' // the write would nest the document more than MAX_DEPTH levels
  | 'ARGUMENT_INVALID' // a bad argument to the store's API that is no pointer, operation or value
  | 'TRANSACTION_OPEN' // a write to the store while its transaction is open (use tx)
  | 'TRANSACTION_CLOSED' // a transaction object used after its function returned
  | 'COMMIT_OPEN' // a write to the store from its beforeCommit hook
  | 'WATCHER_LOOP' // a write from a watcher nested past MAX_NESTED_WRITES watcher-triggered writes
  | 'TIME_TRAVEL' // a write while devtools show a past revision (writes resume on live())
  | 'REVISION_LIMIT' // the next revision id would pass Number.MAX_SAFE_INTEGER (ids must never repeat)
  | 'KEY_INVALID' // a keyed index's key function threw or gave no string or finite number
  | 'KEY_DUPLICATE' // two items of a keyed index's array have one key
  | 'NOT_AN_ARRAY' // a keyed index's pointer holds something other than an array

export class PatchError extends Error {
  static {
    brandError(this, 'PatchError')
  }
  override readonly name = 'PatchError'
  constructor(
    readonly code: PatchErrorCode,
    message: string,
    /** Index of the failing operation in its patch, or -1 when no operation is involved. */
    readonly index = -1,
    /** The pointer the failure is about. */
    readonly path = '',
    options?: { cause?: unknown },
  ) {
    super(index >= 0 ? `operation ${index} (${path || "''"}): ${message}` : message, options)
  }
}
