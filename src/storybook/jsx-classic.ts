import { createElement, Fragment, type ElementType } from 'react'

/**
 * `react/jsx-runtime` over `createElement`, for the manager bundle only. Storybook's
 * manager runs its own React (18) and maps `react` to it, but not `react/jsx-runtime`: the
 * app's runtime would be bundled and make elements that React rejects. Its `key` argument
 * goes back among the props, where createElement reads it.
 */
export { Fragment }

export function jsx(type: ElementType, props: Record<string, unknown>, key?: string) {
  return createElement(type, key === undefined ? props : { ...props, key })
}

export const jsxs = jsx
