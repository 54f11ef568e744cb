import { useState, type KeyboardEvent, type PointerEvent } from 'react'
import { Panel } from './Panel'
import { isProduction } from './production'
import { ShadowHost } from './ShadowHost'
import { useFeed, type PanelSource } from './useConnection'

export type PatchDevtoolsProps = PanelSource & {
  /** Embed the panel where it is rendered (no floating button, no dock). */
  inline?: boolean
  /** Start open (the floating button's panel). */
  defaultOpen?: boolean
  /** Render in a production build too. Off by default: in production the panel renders nothing. */
  production?: boolean
  /** Height of the docked panel in pixels, or of the inline one (any CSS length). */
  height?: number | string
}

const MIN_HEIGHT = 120

/**
 * The patchdb devtools panel. A floating button opens it docked at the bottom of the page
 * (drag or arrow-key the grip to resize); `inline` embeds it. It renders into a shadow root
 * with its own styles, and its state lives here and below, so its renders never re-render
 * the app. It talks to the inspector through a connection only.
 */
export function PatchDevtools(props: PatchDevtoolsProps) {
  if (isProduction() && !props.production) return null
  return <Devtools {...props} />
}

function Devtools({ inline, defaultOpen = false, height, ...source }: PatchDevtoolsProps) {
  const [open, setOpen] = useState(defaultOpen)
  const [docked, setDocked] = useState(typeof height === 'number' ? height : 320)
  const feed = useFeed(source as PanelSource)

  const region = (
    <section className={`pd ${inline ? 'inline' : 'dock'}`} aria-label="patchdb devtools" style={inline ? undefined : { height: docked }}>
      {!inline && <Grip height={docked} onResize={setDocked} />}
      {feed ? <Panel feed={feed} /> : <p className="empty">Connecting…</p>}
    </section>
  )
  if (inline) return <ShadowHost style={{ height: height ?? 360 }}>{region}</ShadowHost>
  return (
    <ShadowHost>
      {open && region}
      <button type="button" className="fab" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Close devtools' : 'patchdb devtools'}
      </button>
    </ShadowHost>
  )
}

/** The docked panel's top edge: drag it, or focus it and press the arrow keys. */
function Grip({ height, onResize }: { height: number; onResize(h: number): void }) {
  const clamp = (h: number) => Math.round(Math.max(MIN_HEIGHT, Math.min(window.innerHeight - 40, h)))
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const startY = e.clientY
    const start = height
    const el = e.currentTarget
    el.setPointerCapture(e.pointerId)
    const move = (m: globalThis.PointerEvent) => onResize(clamp(start + startY - m.clientY))
    const up = () => {
      el.removeEventListener('pointermove', move)
      el.removeEventListener('pointerup', up)
    }
    el.addEventListener('pointermove', move)
    el.addEventListener('pointerup', up)
  }
  const onKeyDown = (e: KeyboardEvent) => {
    const delta = e.key === 'ArrowUp' ? 20 : e.key === 'ArrowDown' ? -20 : 0
    if (!delta) return
    e.preventDefault()
    onResize(clamp(height + delta))
  }
  return (
    <div
      className="grip"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize devtools"
      aria-valuenow={height}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  )
}
