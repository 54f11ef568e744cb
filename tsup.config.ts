import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/core/index.ts',
    react: 'src/react/index.ts',
    node: 'src/node/index.ts',
    browser: 'src/browser/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Entries import the core as 'patchdb', so an app holds one copy of it.
  external: ['patchdb', 'react', 'react-dom', 'use-sync-external-store', 'cbor-x'],
})
