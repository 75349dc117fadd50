/** Brave Search API stand-in: `GET /res/v1/web/search` with `X-Subscription-Token`. */
import { escapeHtml, findPages } from './corpus.js'
import { sendJson, startFakeServer } from './fake-server.js'
import type { FakeServer } from './fake-server.js'

export const FAKE_BRAVE_KEY = 'brave-test-key'

export async function startFakeBrave(): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    if (request.method !== 'GET' || request.path !== '/res/v1/web/search') return sendJson(response, 404, {})
    if (request.headers['x-subscription-token'] !== FAKE_BRAVE_KEY) {
      return sendJson(response, 401, { type: 'ErrorResponse', error: { code: 'SUBSCRIPTION_TOKEN_INVALID', status: 401 } })
    }
    const query = request.query.get('q') ?? ''
    const count = Number(request.query.get('count') ?? 20)
    const pages = findPages(query).slice(0, count)
    sendJson(response, 200, {
      type: 'search',
      query: { original: query },
      web: {
        type: 'search',
        results: pages.map((page) => ({
          title: page.title,
          url: page.url,
          // Brave marks matches with <strong>.
          description: escapeHtml(page.text).replace(/(\d[\d.,]*)/, '<strong>$1</strong>'),
          extra_snippets: [`More about ${escapeHtml(page.title)}.`],
        })),
      },
    })
  })
}
