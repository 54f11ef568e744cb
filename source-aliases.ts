import { fileURLToPath } from 'node:url'

const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url))

/**
 * The public entries mapped to their sources, for Vite, Vitest and Storybook: tests,
 * examples and stories import `patchdb/...` as users do, and run this checkout's code
 * without a build. (tsconfig.json's `paths` says the same to the type checker.)
 */
export const sourceAliases = [
  { find: /^patchdb$/, replacement: src('core/index.ts') },
  { find: /^patchdb\/react$/, replacement: src('react/index.ts') },
  { find: /^patchdb\/node$/, replacement: src('node/index.ts') },
  { find: /^patchdb\/browser$/, replacement: src('browser/index.ts') },
  { find: /^patchdb\/devtools$/, replacement: src('devtools/index.ts') },
  { find: /^patchdb\/client$/, replacement: src('sync/client.ts') },
  { find: /^patchdb\/server$/, replacement: src('sync/server.ts') },
  { find: /^patchdb\/storybook$/, replacement: src('storybook/index.ts') },
]
