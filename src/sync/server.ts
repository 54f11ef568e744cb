// patchdb/server: the sync server (Node only; its `browser` condition resolves to a module that fails the build).
export { createSyncServer, DEFAULT_LIMITS } from './server-create'
export type { Authorize, ServerLimits, SyncServer, SyncServerOptions } from './server-create'
export { storeLog, LogConflictError } from './server-log'
export type { Published, RevisionLog } from './server-log'
export { CLOSE, PROTOCOL_VERSION, ProtocolError, readClientMessage, readServerMessage } from './protocol'
export { decodeFrame, encodeFrame } from './cbor-frames'
export type { ClientMessage, CloseCode, Encoding, Limits, RejectCode, ServerMessage } from './protocol'
