import { build } from 'esbuild'
const [core, out] = process.argv.slice(2)
await build({ stdin: { contents: `process.env.CORE='x'; ` + (await import('node:fs')).readFileSync('/tmp/bprof/micro.ts', 'utf8').replace("await import(process.env.CORE + '/index.ts')", `await import('${core}/index.ts')`), loader: 'ts', resolveDir: '/tmp' }, bundle: true, platform: 'node', format: 'esm', outfile: out, target: 'node20', logLevel: 'error' })
