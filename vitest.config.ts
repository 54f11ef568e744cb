import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// One id per `vitest run`, inherited by the workers: tests that need the packed package
// pack it once per run (test/support/package.ts).
process.env.PATCHDB_TEST_RUN ??= `${process.pid}-${Date.now()}`

const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url))

// Tests import the public entries, as users do; these map them to the sources.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^patchdb$/, replacement: src('core/index.ts') },
      { find: /^patchdb\/react$/, replacement: src('react/index.ts') },
      { find: /^patchdb\/node$/, replacement: src('node/index.ts') },
      { find: /^patchdb\/browser$/, replacement: src('browser/index.ts') },
      { find: /^patchdb\/devtools$/, replacement: src('devtools/index.ts') },
      { find: /^patchdb\/client$/, replacement: src('sync/client.ts') },
      { find: /^patchdb\/server$/, replacement: src('sync/server.ts') },
      { find: /^patchdb\/storybook$/, replacement: src('storybook/index.ts') },
    ],
  },
  test: {
    // Type tests (test/**/*.test-d.ts) are checked by `tsc --noEmit`, the first half of
    // `npm test`: Vitest's own typecheck mode adds only an "experimental" banner.
    include: ['test/**/*.test.{ts,tsx}'],
  },
})
