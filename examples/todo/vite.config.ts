import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const src = (p: string) => fileURLToPath(new URL(`../../src/${p}`, import.meta.url))

// The app imports the public entries, as a user would; these map them to the sources.
// (A default export: the one form Vite reads a config file in.)
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^patchdb$/, replacement: src('core/index.ts') },
      { find: /^patchdb\/react$/, replacement: src('react/index.ts') },
      { find: /^patchdb\/browser$/, replacement: src('browser/index.ts') },
      { find: /^patchdb\/devtools$/, replacement: src('devtools/index.ts') },
    ],
  },
  build: { outDir: 'dist', emptyOutDir: true },
  preview: { host: 'localhost', port: 4173 },
})
