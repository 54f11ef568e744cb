import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { sourceAliases } from '../../source-aliases'

// The app imports the public entries, as a user would; these map them to the sources.
// (A default export: the one form Vite reads a config file in.)
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: {
    alias: sourceAliases,
  },
  build: { outDir: 'dist', emptyOutDir: true },
  preview: { host: 'localhost', port: 4173 },
})
