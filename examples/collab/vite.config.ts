import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const src = (p: string) => fileURLToPath(new URL(`../../src/${p}`, import.meta.url))

// The app imports the public entries, as a user would; these map them to the sources.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^patchdb$/, replacement: src('core/index.ts') },
      { find: /^patchdb\/react$/, replacement: src('react/index.ts') },
      { find: /^patchdb\/browser$/, replacement: src('browser/index.ts') },
      { find: /^patchdb\/client$/, replacement: src('sync/client.ts') },
    ],
  },
  build: { outDir: 'dist', emptyOutDir: true },
})
