import type { NextConfig } from 'next'

const config: NextConfig = {
  // Not `serverExternalPackages: ['patchdb']`: Node would then load patchdb/react with the
  // app's own `react`, not the copy Next renders with, and its hooks would fail
  // (docs/nextjs.md). The store is a process-wide singleton instead (lib/db.ts).
  // This app sits inside the patchdb repository, which has a lockfile of its own.
  turbopack: { root: __dirname },
  outputFileTracingRoot: __dirname,
}

export default config
