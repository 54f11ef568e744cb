import { clearCompleted } from './actions'
import { Todos } from './todos'

export default function Page() {
  return (
    <main>
      <h1>patchdb · Next.js</h1>
      <Todos />
      <form action={clearCompleted}>
        <button type="submit">Clear completed</button>
      </form>
    </main>
  )
}
