import { defineConfig, type Options } from 'tsup'
import { managerJsx } from './.storybook/manager-bundle'

/**
 * Entries that render React: under React Server Components their exports must be client
 * references, so the built file starts with `"use client"`. esbuild keeps a directive only
 * from an entry's own source and puts CommonJS's `"use strict"` before it, so the plugin
 * below writes it as the very first statement of each of these files, ESM and CJS.
 */
const CLIENT_ENTRIES = new Set(['src/react/index.ts', 'src/devtools/index.ts', 'src/storybook/index.ts', 'src/storybook/preview.ts'])

/**
 * Node-only entries get a `browser` export condition that points at the built
 * `<name>.browser.js`: a module whose one import names the mistake, so a bundler building
 * for the browser fails at build time and prints it (see docs/nextjs.md).
 */
const SERVER_ONLY_STUB = /^\.\/patchdb-[a-z]+-is-for-the-server/

type Plugin = NonNullable<Options['plugins']>[number]

const useClient: Plugin = {
  name: 'use-client',
  renderChunk(code, info) {
    if (info.type !== 'chunk' || !info.entryPoint || !CLIENT_ENTRIES.has(info.entryPoint)) return
    const map = info.map && (typeof info.map === 'string' ? JSON.parse(info.map) : info.map)
    // One line is prepended: every generated line moves down by one, hence the leading ';'.
    return { code: `"use client";\n${code}`, map: map && { ...map, mappings: `;${map.mappings}` } }
  },
}

export default defineConfig([
  {
    entry: {
      index: 'src/core/index.ts',
      react: 'src/react/index.ts',
      node: 'src/node/index.ts',
      browser: 'src/browser/index.ts',
      devtools: 'src/devtools/index.ts',
      'node.browser': 'src/node/browser-stub.ts',
      client: 'src/sync/client.ts',
      server: 'src/sync/server.ts',
      'server.browser': 'src/sync/server-browser-stub.ts',
      storybook: 'src/storybook/index.ts',
      'storybook-preview': 'src/storybook/preview.ts',
    },
    format: ['esm', 'cjs'],
    dts: { entry: { index: 'src/core/index.ts', react: 'src/react/index.ts', node: 'src/node/index.ts', browser: 'src/browser/index.ts', devtools: 'src/devtools/index.ts', client: 'src/sync/client.ts', server: 'src/sync/server.ts', storybook: 'src/storybook/index.ts', 'storybook-preview': 'src/storybook/preview.ts' } },
    clean: true,
    sourcemap: true,
    target: 'es2022',
    // Entries import the core as 'patchdb', so an app holds one copy of it.
    external: ['patchdb', 'react', 'react-dom', 'cbor-x', 'ws', 'storybook', SERVER_ONLY_STUB],
    plugins: [useClient],
  },
  {
    // The Patches panel for Storybook's manager, a page of its own: the devtools panel is
    // bundled in (not imported as 'patchdb/devtools'), since the manager provides React 18
    // but no JSX runtime (see managerJsx). Storybook loads it as ESM.
    entry: { 'storybook-manager': 'src/storybook/manager.tsx' },
    format: ['esm'],
    clean: false,
    sourcemap: true,
    target: 'es2022',
    external: ['react', 'react-dom', 'storybook'],
    // The JSX runtime too, so that managerJsx replaces it.
    noExternal: [/^patchdb/, /^react\/jsx/],
    esbuildPlugins: [managerJsx],
  },
])
