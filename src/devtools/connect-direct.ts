import { validatePanelMessage, type InspectorMessage, type InspectorPort, type PanelConnection, type PanelMessage } from './protocol'
import { errorFields } from './validate'

/**
 * The in-page adapter: a panel in the same page as the inspector. The inspector's own
 * messages reach the panel as they are (same page, same objects: nothing is copied);
 * the panel's commands are validated like any other transport's, so a panel bug meets
 * the same errors as a hostile frame would. A command that fails is answered with an
 * `error` message, never thrown into the panel.
 */
export function connectDirect(inspector: InspectorPort): PanelConnection {
  const listeners = new Set<(m: InspectorMessage) => void>()
  let closed = false
  const deliver = (m: InspectorMessage) => {
    if (closed) return
    for (const fn of [...listeners]) fn(m)
  }
  const unsubscribe = inspector.subscribe(deliver)
  return {
    send(message: PanelMessage) {
      if (closed) return
      let m: PanelMessage
      try {
        m = validatePanelMessage(message)
      } catch (e) {
        deliver({ type: 'error', ...errorFields(e) })
        return
      }
      inspector.receive(m, deliver)
    },
    subscribe(fn) {
      listeners.add(fn)
      return () => void listeners.delete(fn)
    },
    close() {
      closed = true
      listeners.clear()
      unsubscribe()
    },
  }
}
