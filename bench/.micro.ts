const core = await import(process.env.CORE + '/index.ts')
const { createStore } = core
const n = 10_000
const doc = () => ({ rows: Array.from({ length: n }, (_, i) => ({ id: i, label: `row ${i}`, value: 0 })) })
const paths = Array.from({ length: n }, (_, i) => `/rows/${i}/value`)
function time(name: string, iters: number, fn: (i: number) => void) {
  for (let i = 0; i < Math.min(iters, 200); i++) fn(i + 1e6)
  const t0 = performance.now()
  for (let i = 1; i <= iters; i++) fn(i)
  console.log(name.padEnd(34), ((performance.now() - t0) * 1000 / iters).toFixed(2).padStart(9), 'µs')
}
const only = process.env.ONLY
if (!only || only === 'A') { const s = createStore({ value: doc() }); let c = 0
  for (let i = 0; i < n; i++) s.watch(`/rows/${i}`, () => c++)
  time('A fan-out 10k watchers, 1 replace', 20000, (i) => s.apply([{ op: 'replace', path: paths[i % n], value: i }])) }
if (!only || only === 'B') { const s = createStore({ value: doc() })
  time('B single op, no watchers', 20000, (i) => s.apply([{ op: 'replace', path: paths[i % n], value: i }])) }
if (!only || only === 'C') { const s = createStore({ value: doc() })
  time('C transact 1000 tx.apply', 300, (i) => s.transact((tx: any) => { for (let k = 0; k < 1000; k++) tx.apply([{ op: 'replace', path: paths[k * 10], value: i }]) })) }
if (!only || only === 'D') { const s = createStore({ value: doc() }); let c = 0
  for (let i = 0; i < n; i++) s.watch(`/rows/${i}`, () => c++)
  time('D 1000-op patch, 10k watchers', 30, (i) => { const p = []; for (let k = 0; k < 1000; k++) p.push({ op: 'replace', path: paths[k * 10], value: i }); s.apply(p) }) }
if (!only || only === 'E') { const a: any = {}, b: any = {}; for (let i = 0; i < 1000; i++) { a['key' + i] = i; b['key' + i] = i % 100 ? i : -i - 1 }
  const s = createStore({ value: { settings: a } })
  time('E set diff 1000 keys (10 changed)', 2000, (i) => s.set('/settings', i % 2 ? b : a)) }
