import type { Meta, StoryObj } from '@storybook/react-vite'
import { expectPatches, expectValue } from 'patchdb/storybook'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { initialState, type AppState, type Todo } from '../../examples/todo/src/state'
import { TodoScreen } from './TodoScreen'

const seed = (patch: Partial<AppState>) => ({ value: { ...initialState, ...patch } })
const todo = (i: number): Todo => ({ id: `t${i}`, title: `Todo number ${i}`, done: i % 3 === 0 })
const rows = (canvas: ReturnType<typeof within>): HTMLElement[] => canvas.queryAllByRole('listitem')

const meta = {
  title: 'Todo example',
  component: TodoScreen,
  parameters: { patchdb: seed({}) },
} satisfies Meta<typeof TodoScreen>
export { meta as default }
type Story = StoryObj<typeof meta>

/** No todos yet: adding one writes one `add` at the end of the list. */
export const Empty: Story = {
  parameters: { patchdb: seed({ todos: [] }) },
  play: async (ctx) => {
    const canvas = within(ctx.canvasElement)
    await expect(rows(canvas)).toHaveLength(0)
    await userEvent.type(canvas.getByRole('textbox', { name: 'new todo' }), 'Buy milk')
    await userEvent.click(canvas.getByRole('button', { name: 'Add' }))
    await expect(rows(canvas)).toHaveLength(1)
    expectPatches(ctx).toEqual([{ op: 'add', path: '/todos/-', value: { id: expect.any(String), title: 'Buy milk', done: false } }])
  },
}

/** Thirty todos: ticking one writes one `replace` of its `done`, and nothing else. */
export const Many: Story = {
  parameters: { patchdb: seed({ todos: Array.from({ length: 30 }, (_, i) => todo(i)) }) },
  play: async (ctx) => {
    const canvas = within(ctx.canvasElement)
    await expect(rows(canvas)).toHaveLength(30)
    await expect(canvas.getByText('20 left')).toBeVisible()
    await userEvent.click(within(rows(canvas)[1]!).getByRole('checkbox', { name: 'done' }))
    await expect(canvas.getByText('19 left')).toBeVisible()
    expectPatches(ctx).toEqual([{ op: 'replace', path: '/todos/1/done', value: true }])
  },
}

/** Showing the done todos only; choosing "all" writes the filter and shows every row. */
export const Filtered: Story = {
  parameters: { patchdb: seed({ filter: 'done', todos: Array.from({ length: 6 }, (_, i) => todo(i)) }) },
  play: async (ctx) => {
    const canvas = within(ctx.canvasElement)
    await expect(rows(canvas).map((r) => r.textContent)).toEqual([expect.stringContaining('Todo number 0'), expect.stringContaining('Todo number 3')])
    await expect(canvas.getByRole('button', { name: 'done' })).toHaveAttribute('aria-pressed', 'true')
    await userEvent.click(canvas.getByRole('button', { name: 'all' }))
    await expect(rows(canvas)).toHaveLength(6)
    expectValue(ctx, '/filter').toBe('all')
    expectPatches(ctx).toEqual([{ op: 'replace', path: '/filter', value: 'all' }])
  },
}

/** A todo being edited (double-click): the draft is the row's own state, nothing is written until it is saved. */
export const Editing: Story = {
  play: async (ctx) => {
    const canvas = within(ctx.canvasElement)
    await userEvent.dblClick(canvas.getByText('Watch a pointer'))
    const edit = canvas.getByRole('textbox', { name: 'edit todo' })
    await expect(edit).toHaveFocus()
    await userEvent.type(edit, ' closely')
    await expect(edit).toHaveValue('Watch a pointer closely')
    expectPatches(ctx).toEqual([])
  },
}

/** Enter saves the edit as one `replace` of the title, which undo names. */
export const Renamed: Story = {
  play: async (ctx) => {
    const canvas = within(ctx.canvasElement)
    await userEvent.dblClick(canvas.getByText('Watch a pointer'))
    const edit = canvas.getByRole('textbox', { name: 'edit todo' })
    await userEvent.clear(edit)
    await userEvent.type(edit, 'Watch two pointers{Enter}')
    await expect(canvas.getByText('Watch two pointers')).toBeVisible()
    expectPatches(ctx).toEqual([{ op: 'replace', path: '/todos/1/title', value: 'Watch two pointers' }])
    await expect(canvas.getByRole('button', { name: "Undo rename 'Watch a pointer'" })).toBeEnabled()
  },
}

/** The dark theme, from the store: the page follows `/settings/theme`. */
export const Dark: Story = {
  parameters: { patchdb: seed({ settings: { theme: 'dark', showCounters: true } }) },
  play: async (ctx) => {
    const canvas = within(ctx.canvasElement)
    // Settings puts the theme on <html> in an effect, which may run after the first paint.
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'))
    await expect(canvas.getByRole('combobox', { name: 'Theme' })).toHaveValue('dark')
    expectPatches(ctx).toEqual([])
  },
}
