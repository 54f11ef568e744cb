import type { Preview } from '@storybook/react-vite'

/** Every story's accessibility check (addon-a11y's axe run) fails the story on a violation. */
export const parameters: Preview['parameters'] = { a11y: { test: 'error' } }
