import type { CDPSession } from 'playwright-core'
import type { ExtensionBrowser } from './extension'

/**
 * Reaches DevTools' own pages (auto-opened with --auto-open-devtools-for-tabs), which
 * Playwright does not list, through the browser's DevTools protocol session: targets are
 * found with Target.getTargets and evaluated in through Target.sendMessageToTarget.
 */
export interface Frontends {
  /** Evaluates `expression` (awaited, returned by value) in target `targetId`. */
  evaluate<T>(targetId: string, expression: string): Promise<T>
  /** A PNG of target `targetId`, base64. */
  screenshot(targetId: string): Promise<string>
  /** Targets whose address starts with `prefix`. */
  targets(prefix: string): Promise<{ targetId: string; type: string; url: string }[]>
  close(): Promise<void>
}

export async function reachFrontends(ext: ExtensionBrowser): Promise<Frontends> {
  const cdp: CDPSession = await ext.context.browser()!.newBrowserCDPSession()
  const sessions = new Map<string, string>()
  const pending = new Map<number, (reply: { result?: unknown; error?: { message: string } }) => void>()
  let nextId = 0
  cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
    const reply = JSON.parse(message)
    pending.get(reply.id)?.(reply)
    pending.delete(reply.id)
  })
  const call = async (targetId: string, method: string, params: object) => {
    let sessionId = sessions.get(targetId)
    if (!sessionId) {
      sessionId = (await cdp.send('Target.attachToTarget', { targetId, flatten: false })).sessionId
      sessions.set(targetId, sessionId)
    }
    const id = ++nextId
    const reply = new Promise<{ result?: unknown; error?: { message: string } }>((resolve) => pending.set(id, resolve))
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) })
    const { result, error } = await reply
    if (error) throw new Error(`${method}: ${error.message}`)
    return result as Record<string, any>
  }
  return {
    async evaluate<T>(targetId: string, expression: string) {
      const { result, exceptionDetails } = await call(targetId, 'Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })
      if (exceptionDetails) throw new Error(`evaluate: ${JSON.stringify(exceptionDetails).slice(0, 500)}`)
      return result.value as T
    },
    async screenshot(targetId) {
      return (await call(targetId, 'Page.captureScreenshot', { format: 'png' })).data as string
    },
    async targets(prefix) {
      const { targetInfos } = await cdp.send('Target.getTargets')
      return targetInfos.filter((t) => t.url.startsWith(prefix)).map(({ targetId, type, url }) => ({ targetId, type, url }))
    },
    close: () => cdp.detach(),
  }
}
