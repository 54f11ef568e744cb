import fc from 'fast-check'
import { JSDOM } from 'jsdom'
import { describe, expect, it } from 'vitest'
import { deepEqual, PatchError, serializeDump, type JsonValue } from 'patchdb'

const hostile = ['</script>', '</SCRIPT >', '<!--', '-->', '<script>', '\u2028', '\u2029', '<', '>', '&', '"', '\\', "'", '\u0000']
/** JSON whose strings and keys are made of fragments that break naive inline scripts. */
const nastyString = fc.array(fc.oneof(fc.constantFrom(...hostile), fc.string({ unit: 'binary' })), { maxLength: 6 }).map((a) => a.join(''))
const nastyJson: fc.Arbitrary<JsonValue> = fc.letrec<{ v: JsonValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    nastyString,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(nastyString, tie('v'), { maxKeys: 4 }),
  ),
})).v

function assertSafe(out: string) {
  expect(out.toLowerCase()).not.toContain('</script')
  expect(out).not.toContain('<!--')
  expect(out).not.toMatch(/[\u2028\u2029<>]/)
}

describe('serializeDump', () => {
  it('escapes what would end or alter an inline script', () => {
    const value = { s: '</script><script>alert(1)</script><!-- \u2028\u2029 & >', [`</script>`]: 1 }
    const out = serializeDump({ id: 3, value })
    assertSafe(out)
    expect(JSON.parse(out)).toEqual({ id: 3, value })
  })

  it('rejects a dump without a whole-number id or a value', () => {
    const code = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        return e instanceof PatchError ? e.code : e
      }
    }
    expect(code(() => serializeDump({ id: -1, value: 1 }))).toBe('OPERATION_INVALID')
    expect(code(() => serializeDump({ id: 1.5, value: 1 }))).toBe('OPERATION_INVALID')
    expect(code(() => serializeDump({ id: 1, value: undefined }))).toBe('VALUE_INVALID')
  })

  it('property: any JSON round-trips through JSON.parse, and the output is inline-safe', () => {
    fc.assert(
      fc.property(fc.nat(), fc.oneof(fc.jsonValue(), nastyJson), (id, value) => {
        const out = serializeDump({ id, value })
        assertSafe(out)
        const back = JSON.parse(out)
        expect(back.id).toBe(id)
        expect(deepEqual(back.value, value)).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('property: inside a real HTML page, the inline script evaluates to the same dump', () => {
    fc.assert(
      fc.property(fc.nat(), nastyJson, (id, value) => {
        const html = `<!doctype html><body><script>window.__DUMP__ = ${serializeDump({ id, value })}</script><p id="after">ok</p></body>`
        const { window } = new JSDOM(html, { runScripts: 'dangerously' })
        const got = (window as unknown as { __DUMP__: unknown }).__DUMP__
        // Round-trip through JSON to leave the page's realm before comparing.
        expect(deepEqual(JSON.parse(JSON.stringify(got)), { id, value })).toBe(true)
        expect(window.document.querySelectorAll('script')).toHaveLength(1)
        expect(window.document.getElementById('after')?.textContent).toBe('ok')
        window.close()
      }),
      { numRuns: 60 },
    )
  }, 30_000) // 60 jsdom pages: about 0.6 s alone, more than 5 s on a busy machine
})
