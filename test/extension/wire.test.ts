import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createReceiver, createSender, WireError, type Frame } from '../../devtools/src/wire'

/** Sends `value` through a sender into a receiver, frame by frame, as a port would. */
function roundTrip(value: unknown, chunkChars: number, maxChars = 1_000_000) {
  const frames: Frame[] = []
  createSender((f) => frames.push(f), chunkChars, maxChars).send(value)
  const receiver = createReceiver(chunkChars, maxChars)
  const out = frames.map((f) => receiver.receive(JSON.parse(JSON.stringify(f))))
  return { frames, out }
}

describe('framing on the extension ports', () => {
  it('any message comes out as sent, whole once its last frame is in, whatever the chunk size', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 1, max: 64 }), (value, chunkChars) => {
        const { frames, out } = roundTrip(value, chunkChars)
        const json = JSON.stringify(value)
        expect(out.slice(0, -1).every((o) => o === null)).toBe(true)
        expect(out.at(-1)).toBe(json)
        expect(frames.length).toBe(json.length <= chunkChars ? 1 : Math.ceil(json.length / chunkChars))
        for (const f of frames) expect('json' in f ? f.json.length : f.chunk.data.length).toBeLessThanOrEqual(chunkChars)
      }),
    )
  })

  it('a message over the limit is refused by the sender, and its chunks by the receiver', () => {
    expect(() => createSender(() => {}, 10, 100).send('x'.repeat(200))).toThrow(WireError)
    const receiver = createReceiver(10, 100)
    expect(() => receiver.receive({ chunk: { id: 1, index: 0, count: 11, data: 'x'.repeat(10) } })).toThrow(/2 to 10 chunks/)
  })

  it('forged or broken frames are refused, and drop the message in progress', () => {
    const r = createReceiver(4, 100)
    for (const bad of [null, 'text', 1, {}, { json: 1 }, { json: 'x'.repeat(5) }, { chunk: { id: -1, index: 0, count: 2, data: 'abcd' } }, { chunk: { id: 1, index: 0, count: 1, data: 'abcd' } }, { chunk: { id: 1, index: 0, count: 2, data: 'ab' } }, { chunk: { id: 1, index: 1, count: 2, data: 'ab' } }]) {
      expect(() => r.receive(bad), JSON.stringify(bad)).toThrow(WireError)
    }
    // Out of order, a second start, or a whole message in the middle of a chunked one.
    expect(r.receive({ chunk: { id: 1, index: 0, count: 3, data: 'abcd' } })).toBeNull()
    expect(() => r.receive({ chunk: { id: 1, index: 2, count: 3, data: 'ij' } })).toThrow(/out of order/)
    expect(r.receive({ chunk: { id: 2, index: 0, count: 2, data: '"abc' } })).toBeNull()
    expect(() => r.receive({ chunk: { id: 3, index: 0, count: 2, data: 'abcd' } })).toThrow(/in the middle of another/)
    expect(r.receive({ chunk: { id: 4, index: 0, count: 2, data: '"abc' } })).toBeNull()
    expect(() => r.receive({ json: '1' })).toThrow(/in the middle/)
    // After a refusal the receiver starts clean.
    expect(r.receive({ chunk: { id: 5, index: 0, count: 2, data: '"abc' } })).toBeNull()
    expect(r.receive({ chunk: { id: 5, index: 1, count: 2, data: 'd"' } })).toBe('"abcd"')
  })
})
