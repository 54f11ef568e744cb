import { fileURLToPath } from 'node:url'
import type { StorybookConfig } from '@storybook/react-vite'
import { mergeConfig } from 'vite'
import { bundleManager } from './manager-bundle'
import { sourceAliases } from '../source-aliases'

const src = (p: string) => fileURLToPath(new URL(`../src/${p}`, import.meta.url))

/**
 * This repository's Storybook. A user writes `addons: ['patchdb/storybook']`, which loads
 * dist/storybook-preview.js and dist/storybook-manager.js; here the same two entries come
 * from the sources, so no build of the package is needed first.
 */
export const stories: StorybookConfig['stories'] = ['../stories/**/*.stories.tsx']
export const addons: StorybookConfig['addons'] = ['@storybook/addon-a11y']
export const framework: StorybookConfig['framework'] = { name: '@storybook/react-vite', options: {} }
export const core: StorybookConfig['core'] = { disableTelemetry: true, disableWhatsNewNotifications: true }
// No docs pages here: prop tables would cost half the build (react-docgen) for nothing shown.
export const typescript: StorybookConfig['typescript'] = { reactDocgen: false }
export const previewAnnotations = async (entries: string[] = []) => [...entries, src('storybook/preview.ts')]
export const managerEntries = async (entries: string[] = []) => [...entries, await bundleManager()]

// Stories import the public entries, as users do; these map them to the sources.
export const viteFinal: StorybookConfig['viteFinal'] = (vite) =>
  mergeConfig(vite, {
    resolve: {
      alias: sourceAliases,
    },
  })
