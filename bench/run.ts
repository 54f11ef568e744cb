import { join } from 'node:path'
import { repoRoot } from './paths'
import { runBench } from './suite'

// npm run bench [-- --quick] [-- --only=1,2]
const quick = process.argv.includes('--quick')
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',').map(Number)
const name = quick ? 'quick' : 'latest'
const out = join(repoRoot, 'bench/results', `${name}${only ? '-partial' : ''}.json`)
await runBench({ quick, out, print: console.log, only })
