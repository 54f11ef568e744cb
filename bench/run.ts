import { runBench } from './suite'

// npm run bench [-- --quick] [-- --only=1,2]
const quick = process.argv.includes('--quick')
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',').map(Number)
const out = new URL(quick ? './results/quick.json' : './results/latest.json', import.meta.url).pathname
await runBench({ quick, out: only ? out.replace(/\.json$/, '-partial.json') : out, print: console.log, only })
