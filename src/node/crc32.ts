/**
 * CRC-32 (IEEE 802.3, the zlib/PNG polynomial), table driven. zlib.crc32 only exists from
 * Node 20.15 and patchdb supports every Node 20 (test/node/format-upgrade.test.ts writes
 * files with zlib.crc32 that this reads back).
 */
/** The byte table: entry n is the register after feeding byte n into a zero register. */
export const TABLE = (() => {
  const t = new Int32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c
  }
  return t
})()

/** CRC-32 of `bytes[start, end)`, continuing from `crc` (0 to start). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, crc = 0): number {
  let c = ~crc
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)
  return ~c >>> 0
}
