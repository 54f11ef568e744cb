import { useCallback, useState, type CSSProperties, type ReactNode } from 'react'
import { createPortal } from 'react-dom'
import { PANEL_CSS } from './styles'

/**
 * A host element with an open shadow root that the children are portalled into, with the
 * panel's own stylesheet: the app's CSS cannot restyle the panel, and the panel's cannot
 * restyle the app. (Open, so users' scripts and Playwright's role queries reach inside.)
 */
export function ShadowHost({ children, style }: { children: ReactNode; style?: CSSProperties }) {
  const [root, setRoot] = useState<ShadowRoot | null>(null)
  const attach = useCallback((host: HTMLDivElement | null) => {
    if (host) setRoot(host.shadowRoot ?? host.attachShadow({ mode: 'open' }))
  }, [])
  return (
    <div ref={attach} style={style} data-patchdb-devtools="">
      {root &&
        createPortal(
          <>
            <style>{PANEL_CSS}</style>
            {children}
          </>,
          root,
        )}
    </div>
  )
}
