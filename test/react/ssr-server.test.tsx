import { Writable } from 'node:stream'
import { renderToPipeableStream, renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { createStore } from 'patchdb'
import { App, PatchProvider, pageDump, type Page } from './fixtures/ssr-app'

function expectPage(html: string) {
  expect(html).toContain('<h1>Hello &lt;/script&gt;&lt;!-- \u2028</h1>')
  expect(html).toMatch(/<li data-i="0">one<\/li><li data-i="1">two<\/li><li data-i="2">three<\/li>/)
  expect(html).toContain('<p id="revision">7</p>')
  expect(html).toContain('<p id="late">late</p>')
}

describe('server rendering under a provider', () => {
  it('renderToString renders the store values at its revision', () => {
    const store = createStore<Page>(pageDump())
    expectPage(renderToString(<PatchProvider store={store}><App /></PatchProvider>))
  })

  it('renderToString with a dump provider', () => {
    expectPage(renderToString(<PatchProvider dump={pageDump()}><App /></PatchProvider>))
  })

  it('renderToPipeableStream streams the same document', async () => {
    const store = createStore<Page>(pageDump())
    const html = await new Promise<string>((resolve, reject) => {
      let out = ''
      const sink = new Writable({
        write(chunk, _enc, done) {
          out += chunk.toString()
          done()
        },
      })
      sink.on('finish', () => resolve(out))
      const stream = renderToPipeableStream(<PatchProvider store={store}><App /></PatchProvider>, {
        onAllReady: () => stream.pipe(sink),
        onShellError: reject,
        onError: reject,
      })
    })
    expectPage(html)
    expect(store.stats()).toMatchObject({ watchers: 0, subscribers: 0 }) // the server never subscribes
  })
})
