import { useRef } from 'react'

/** How many times the calling component has rendered: shown on screen to prove exact renders. */
export function useRenderCount(): number {
  const renders = useRef(0)
  return ++renders.current
}
