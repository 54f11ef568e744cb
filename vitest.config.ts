import { defineConfig } from 'vitest/config'
import { sourceAliases } from './source-aliases'

// One id per `vitest run`, inherited by the workers: tests that need the packed package
// pack it once per run (test/support/package.ts).
process.env.PATCHDB_TEST_RUN ??= `${process.pid}-${Date.now()}`

// Tests import the public entries, as users do; these map them to the sources.
export default defineConfig({
  resolve: {
    alias: sourceAliases,
  },
  test: {
    // Type tests (test/**/*.test-d.ts) are checked by `tsc --noEmit`, the first half of
    // `npm test`: Vitest's own typecheck mode adds only an "experimental" banner.
    include: ['test/**/*.test.{ts,tsx}'],
  },
})
