import type { Meta, StoryObj } from '@storybook/react-vite'
import { expectPatches } from 'patchdb/storybook'
import { expect, userEvent, within } from 'storybook/test'
import { RenderCounts } from './RenderCounts'

const COUNT = 12
const meta = {
  title: 'Render counts',
  component: RenderCounts,
  args: { count: COUNT, bump: 5 },
  parameters: { patchdb: { value: { rows: Array.from({ length: COUNT }, (_, i) => ({ label: `Row ${i}`, n: 0 })) } } },
} satisfies Meta<typeof RenderCounts>
export { meta as default }
type Story = StoryObj<typeof meta>

const renders = (list: HTMLElement) => within(list).getAllByRole('listitem').map((li) => Number(li.dataset.renders))

/** One write to one row: one row re-renders with usePatch per row, every row with one whole-state selector. */
export const OneRowChanges: Story = {
  play: async (ctx) => {
    const canvas = within(ctx.canvasElement)
    const perRow = canvas.getByRole('list', { name: 'usePatch per row' })
    const whole = canvas.getByRole('list', { name: 'one whole-state selector' })
    await expect(renders(perRow)).toEqual(Array(COUNT).fill(1))
    await userEvent.click(canvas.getByRole('button', { name: 'Bump row 5' }))
    await userEvent.click(canvas.getByRole('button', { name: 'Bump row 5' }))
    expectPatches(ctx).toEqual([
      { op: 'replace', path: '/rows/5/n', value: 1 },
      { op: 'replace', path: '/rows/5/n', value: 2 },
    ])
    await expect(renders(perRow)).toEqual(Array.from({ length: COUNT }, (_, i) => (i === 5 ? 3 : 1)))
    await expect(renders(whole)).toEqual(Array(COUNT).fill(3))
  },
}
