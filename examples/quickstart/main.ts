// A first look at patchdb in the terminal: one document, patches, watchers, the log.
import { createStore, PatchError } from 'patchdb'

interface Todo {
  title: string
  done: boolean
}
interface AppState {
  todos: Todo[]
  settings: { theme: 'light' | 'dark' }
}

const store = createStore<AppState>({ value: { todos: [], settings: { theme: 'light' } } })

store.watch('/todos/0', (todo, revision) => {
  console.log(`watch /todos/0   rev ${revision.id}:`, JSON.stringify(todo), ' scoped patch', JSON.stringify(revision.patch))
})
store.watch('/settings/theme', (theme, revision) => {
  console.log(`watch /settings/theme rev ${revision.id}:`, theme, ' scoped patch', JSON.stringify(revision.patch))
})

store.apply([{ op: 'add', path: '/todos/-', value: { title: 'Read docs/architecture.md', done: false } }])
store.apply([{ op: 'add', path: '/todos/-', value: { title: 'Write a patch', done: false } }]) // /todos/0 untouched: silent
store.apply([{ op: 'replace', path: '/todos/0/done', value: true }])
store.set('/settings/theme', 'dark')
store.transact((tx) => {
  tx.apply([{ op: 'remove', path: '/todos/0' }]) // the second todo moves to /todos/0
  tx.set('/todos/0/done', true)
})

try {
  store.apply([{ op: 'replace', path: '/todos/7/done', value: true }])
} catch (e) {
  if (e instanceof PatchError) console.log(`\nrefused: [${e.code}] ${e.message}; still at revision ${store.revision}`)
}

console.log('\nrevision log:')
for (const { id, patch, inverse } of store.log()) {
  console.log(`  #${id}  patch ${JSON.stringify(patch)}\n       inverse ${JSON.stringify(inverse)}`)
}
console.log('\ndocument now:', JSON.stringify(store.get()))
console.log('document at revision 2:', JSON.stringify(store.valueAt(2)))
