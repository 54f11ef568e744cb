import type { Meta, StoryObj } from '@storybook/react-vite'
import { PatchDevtools } from 'patchdb/devtools'
import { expectPatches, storyInspector } from 'patchdb/storybook'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { TodoList } from '../../examples/todo/src/TodoList'
import '../../examples/todo/src/styles.css'
import log from '../fixtures/todo-log.json'

/**
 * The devtools panel itself, inline, over a recorded log of the todo example (exported from
 * the panel, replayed into the story's store), next to the list it changes.
 */
const meta = {
  title: 'Devtools panel',
  parameters: { patchdb: log },
  render: (_args, ctx) => (
    <main>
      <h1>Recorded todos</h1>
      <TodoList />
      <h2>Its devtools</h2>
      <PatchDevtools inline production inspector={storyInspector(ctx)} height={420} />
    </main>
  ),
} satisfies Meta
export { meta as default }
type Story = StoryObj<typeof meta>

/** The panel lives in a shadow root: queries start there. */
const panel = async (canvasElement: HTMLElement) => {
  const host = await waitFor(() => {
    const root = canvasElement.querySelector('[data-patchdb-devtools]')?.shadowRoot
    if (!root?.querySelector('[role="listbox"]')) throw new Error('the panel has not connected yet')
    return root
  })
  return within(host as unknown as HTMLElement)
}

/** Double-clicking a revision shows the list as it was then, Step back goes one further, Live returns. */
export const RecordedLog: Story = {
  play: async (ctx) => {
    const canvas = within(ctx.canvasElement)
    const titles = () => canvas.getAllByRole('listitem').map((r) => r.querySelector('.title')?.textContent)
    const devtools = await panel(ctx.canvasElement)
    const options = devtools.getAllByRole('option')
    await expect(options.map((o) => o.textContent?.match(/^#\d+/)?.[0])).toEqual(['#1', '#2', '#3', '#4', '#5', '#6'])
    // The head: the first todo deleted, the filter on open ones.
    await expect(titles()).toEqual(['Buy oat milk', 'Skip a revision'])

    await userEvent.dblClick(options[1]!)
    await waitFor(() => expect(storyInspector(ctx).status().viewing).toBe(2))
    await expect(titles()).toEqual(['Read the patch log', 'Watch a pointer', 'Buy milk'])
    await expect(within(canvas.getAllByRole('listitem')[1]!).getByRole('checkbox')).toBeChecked()

    await userEvent.click(devtools.getByRole('button', { name: 'Step back' }))
    await waitFor(() => expect(storyInspector(ctx).status().viewing).toBe(1))
    await expect(within(canvas.getAllByRole('listitem')[1]!).getByRole('checkbox')).not.toBeChecked()
    // Travel is a view: nothing was written.
    expectPatches(ctx).toEqual([])

    await userEvent.click(devtools.getByRole('button', { name: 'Live' }))
    await waitFor(() => expect(storyInspector(ctx).status().viewing).toBe(null))
    await expect(titles()).toEqual(['Buy oat milk', 'Skip a revision'])
  },
}
