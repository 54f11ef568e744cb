import { crc32, TABLE } from './crc32'

/*
 * Finding a record frame (`u32 length · body · u32 CRC-32 of length and body`) anywhere in
 * damaged bytes, in time linear in their size.
 *
 * Checking each position by computing the CRC over its claimed length costs size × length:
 * crafted garbage whose every fourth word claims "the rest of the file" made a 512 KiB log
 * take 29 s to open. Here every position is checked in O(1) after two passes over the bytes.
 *
 * The CRC register is linear over GF(2). Let F be one step of the register over a zero byte
 * (multiplication by x^8 modulo the polynomial); it is invertible (`back`). Feeding bytes
 * p..q-1 from the register ~0 gives F^(q-p)(~0 ⊕ S(p)) ⊕ S(q), where S(k) is the register
 * after bytes [from, k) fed from 0. A frame [p, q) is whole exactly when feeding all of it,
 * its CRC included, leaves the CRC-32 residue K. Applying F^-(q-from) to both sides splits
 * the condition into a term of p and a term of q:
 *     Z(p) ⊕ R(p) = R(q),  where R(k) = F^-(k-from)(S(k) ⊕ K),  Z(k) = F^-(k-from)(~0 ⊕ K).
 * R is computed forward (pass 1, stored), using F^-j(S) increments built from the eight
 * basis bytes stepped back once per position; Z is stepped back once per position (pass 2).
 * Memory: 4 bytes per byte scanned, kept while the bytes are.
 */

/** Top byte of TABLE[k] → k: the top bytes are all distinct, which is what makes F invertible by table. */
const UNDO = new Uint8Array(256)
for (let k = 0; k < 256; k++) UNDO[TABLE[k]! >>> 24] = k

/** F^-1: the register before one zero byte was fed in. */
const back = (s: number): number => {
  const k = UNDO[s >>> 24]!
  return ((s ^ TABLE[k]!) << 8) | k
}

/** Register after feeding a whole frame, its CRC (little endian) included, from ~0: constant. */
const RESIDUE = ~crc32(new Uint8Array(4)) | 0

/** Length claimed by the frame at p when it fits in [1, maxBody] and in the bytes, else 0. */
const readU32 = (bytes: Uint8Array, p: number) => (bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0

function claimed(bytes: Uint8Array, p: number, maxBody: number): number {
  const length = readU32(bytes, p)
  return length >= 1 && length <= maxBody && length <= bytes.length - p - 8 ? length : 0
}

/** Pass 1 of the linear check over `bytes` from `base`, kept for later calls on the same bytes. */
interface Sums {
  base: number
  /** R(base + j). */
  r: Int32Array
  /** Z(base + j) for j a multiple of Z_STEP: any Z is a few steps from one of these. */
  z: Int32Array
}
const Z_STEP = 4096
const sums = new WeakMap<Uint8Array, Sums>()

/**
 * Calls `visit(p)` for each position p >= from, in order, where a whole frame with a length
 * in [1, maxBody] and a matching CRC starts; returns the first p for which `visit` returns
 * true, or -1. Linear: a call costs O(bytes scanned) plus what `visit` does, and repeated
 * calls on the same bytes (resuming after p) share their work: `bytes` must not change.
 */
export function scanFrames(bytes: Uint8Array, from: number, maxBody: number, visit: (p: number) => boolean): number {
  // Most damage (a torn write, flipped bits) claims few lengths that fit: checking each one
  // directly is cheapest. Once that would cost more than a few passes, go linear.
  let budget = 1 << 16
  for (let p = Math.max(0, from); p + 8 <= bytes.length; p++) {
    const length = claimed(bytes, p, maxBody)
    budget += 4
    if (length === 0) continue
    if (length > budget || sums.has(bytes)) return scanLinear(bytes, p, maxBody, visit)
    budget -= length
    if (crc32(bytes, p, p + 4 + length) === readU32(bytes, p + 4 + length) && visit(p)) return p
  }
  return -1
}

function scanLinear(bytes: Uint8Array, from: number, maxBody: number, visit: (p: number) => boolean): number {
  let pass = sums.get(bytes)
  if (!pass || pass.base > from) sums.set(bytes, (pass = sum(bytes, from)))
  const { base, r } = pass
  const span = bytes.length - base
  let j = from - base
  let z = pass.z[Math.floor(j / Z_STEP)]!
  for (let i = j - (j % Z_STEP); i < j; i++) z = back(z)
  for (; j + 8 <= span; j++) {
    const length = claimed(bytes, base + j, maxBody)
    if (length > 0 && (z ^ r[j]!) === r[j + 8 + length] && visit(base + j)) return base + j
    z = back(z)
  }
  return -1
}

/** Pass 1: R and the Z marks from `base` to the end. */
function sum(bytes: Uint8Array, base: number): Sums {
  const span = bytes.length - base
  const r = new Int32Array(span + 1)
  const zs = new Int32Array(Math.floor(span / Z_STEP) + 1)
  // F^-j of each bit of a byte, stepped back once per position (locals: this is the hot loop).
  let b0 = 1, b1 = 2, b2 = 4, b3 = 8, b4 = 16, b5 = 32, b6 = 64, b7 = 128
  let s = 0 // F^-j(S(base + j))
  let k = RESIDUE // F^-j(K)
  let z = ~0 ^ RESIDUE // F^-j(~0 ⊕ K)
  for (let j = 0; ; j++) {
    r[j] = s ^ k
    if (j % Z_STEP === 0) zs[j / Z_STEP] = z
    if (j === span) break
    const b = bytes[base + j]!
    s ^= (b0 & -(b & 1)) ^ (b1 & -((b >> 1) & 1)) ^ (b2 & -((b >> 2) & 1)) ^ (b3 & -((b >> 3) & 1)) ^
      (b4 & -((b >> 4) & 1)) ^ (b5 & -((b >> 5) & 1)) ^ (b6 & -((b >> 6) & 1)) ^ (b7 & -(b >> 7))
    b0 = back(b0), b1 = back(b1), b2 = back(b2), b3 = back(b3), b4 = back(b4), b5 = back(b5), b6 = back(b6), b7 = back(b7)
    k = back(k)
    z = back(z)
  }
  return { base, r, z: zs }
}
