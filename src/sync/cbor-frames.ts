import { Decoder, Encoder } from 'cbor-x'
import { decodeWith, encodeWith, type CborCodec, type Encoding, type Message } from './protocol'

/*
 * Frames in either encoding, with cbor-x: the server's (it answers each client in its own
 * encoding), and a client's once it asks for CBOR, which loads this module on demand.
 */

// Plain CBOR maps and arrays (no cbor-x records), readable by any CBOR decoder.
const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, variableMapSize: true })
const decoder = new Decoder({ useRecords: false, mapsAsObjects: false })

export const cbor: CborCodec = {
  // cbor-x hands out a view of a buffer that the next call reuses: copy it out.
  encode: (message) => encoder.encode(message).slice(),
  decode: (data) => decoder.decode(data),
}

/** One message as a frame: a string (JSON text frame) or bytes (CBOR binary frame). */
export const encodeFrame = (message: Message, encoding: Encoding): string | Uint8Array => encodeWith(message, encoding, cbor)

/**
 * The message object of a frame, before validation (readClientMessage / readServerMessage).
 * `maxFrame` bounds what is parsed; the ws package's `maxPayload` should refuse it earlier.
 */
export const decodeFrame = (data: string | Uint8Array, maxFrame: number): unknown => decodeWith(data, maxFrame, cbor)
