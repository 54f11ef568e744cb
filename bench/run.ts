import { runBench } from './suite'

const quick = process.argv.includes('--quick')
await runBench({ quick, out: new URL(quick ? "./results/quick.json" : "./results/latest.json", import.meta.url).pathname, print: console.log })
