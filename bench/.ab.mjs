import { build } from 'esbuild'
await build({ entryPoints: ['/tmp/bprof/ab.ts'], bundle: true, platform: 'node', format: 'esm', outfile: '/tmp/bprof/ab.mjs', target: 'node20', logLevel: 'error' })
