import type { Meta, StoryObj } from '@storybook/react-vite'
import { expectPatches, expectValue } from 'patchdb/storybook'
import { expect, userEvent, within } from 'storybook/test'
import { Playground } from './Playground'

const meta = {
  title: 'JSON Patch playground',
  component: Playground,
  args: { pointers: ['', '/todos', '/todos/0', '/todos/0/title', '/todos/1', '/settings/theme'] },
  parameters: {
    patchdb: {
      value: {
        todos: [
          { title: 'Read the patch log', done: true },
          { title: 'Watch a pointer', done: false },
        ],
        settings: { theme: 'light' },
      },
    },
  },
} satisfies Meta<typeof Playground>
export { meta as default }
type Story = StoryObj<typeof meta>

/** Types `patch` into the playground and applies it. */
const applyPatch = async (canvasElement: HTMLElement, patch: unknown) => {
  const canvas = within(canvasElement)
  const box = canvas.getByRole('textbox', { name: /Patch/ })
  await userEvent.clear(box)
  await userEvent.click(box)
  await userEvent.paste(JSON.stringify(patch))
  await userEvent.click(canvas.getByRole('button', { name: 'Apply' }))
  return canvas
}

/** The watchers' table: for each pointer, whether it fired and the patch it got. */
const watchers = (canvas: ReturnType<typeof within>) =>
  Object.fromEntries(
    within(canvas.getByRole('table', { name: 'Watchers' }))
      .getAllByRole('row')
      .slice(1)
      .map((row) => {
        const [fired, patch] = within(row).getAllByRole('cell').map((c) => c.textContent ?? '')
        return [within(row).getByRole('rowheader').textContent, fired === 'yes' ? JSON.parse(patch!) : null]
      }),
  )

/** Inserting before the first todo: every index after it changes, the theme's watcher does not fire. */
export const InsertBeforeFirst: Story = {
  play: async (ctx) => {
    const canvas = await applyPatch(ctx.canvasElement, [{ op: 'add', path: '/todos/0', value: { title: 'Try the playground', done: false } }])
    expectPatches(ctx).toEqual([{ op: 'add', path: '/todos/0', value: { title: 'Try the playground', done: false } }])
    await expect(within(canvas.getByRole('region', { name: 'Inverse' })).getByText(/"remove"/)).toBeVisible()
    const fired = watchers(canvas)
    await expect(fired["'' (root)"]).toEqual([{ op: 'add', path: '/todos/0', value: { title: 'Try the playground', done: false } }])
    await expect(fired['/todos']).toEqual([{ op: 'add', path: '/0', value: { title: 'Try the playground', done: false } }])
    // Above the watched pointer: the new value at it, as a root replace.
    await expect(fired['/todos/0/title']).toEqual([{ op: 'replace', path: '', value: 'Try the playground' }])
    await expect(fired['/todos/1']).toEqual([{ op: 'replace', path: '', value: { title: 'Read the patch log', done: true } }])
    await expect(fired['/settings/theme']).toBe(null)
  },
}

/** A patch that fails half-way is refused whole: the error names the operation, nothing is written, nobody fires. */
export const RefusedPatch: Story = {
  play: async (ctx) => {
    const canvas = await applyPatch(ctx.canvasElement, [
      { op: 'replace', path: '/settings/theme', value: 'dark' },
      { op: 'remove', path: '/todos/7' },
    ])
    await expect(canvas.getByRole('alert')).toHaveTextContent(/^INDEX_OUT_OF_BOUNDS: operation 1 \(\/todos\/7\)/)
    expectPatches(ctx).toEqual([])
    expectValue(ctx, '/settings/theme').toBe('light')
    await expect(Object.values(watchers(canvas)).every((p) => p === null)).toBe(true)
  },
}
