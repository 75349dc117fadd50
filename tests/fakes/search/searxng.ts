/** SearxNG stand-in: `GET /search?q=…&format=json`; 403 when JSON output is disabled, as the real one does. */
import { escapeHtml, findPages } from './corpus.js'
import { sendJson, startFakeServer } from './fake-server.js'
import type { FakeServer } from './fake-server.js'

export async function startFakeSearxng(options: { jsonEnabled?: boolean; answers?: unknown[] } = {}): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    if (request.path !== '/search') return sendJson(response, 404, { error: 'not found' })
    if (request.query.get('format') !== 'json' || options.jsonEnabled === false) {
      response.writeHead(403, { 'content-type': 'text/html' })
      response.end('<html><body><h1>403 Forbidden</h1></body></html>')
      return
    }
    const query = request.query.get('q') ?? ''
    const pages = findPages(query)
    sendJson(response, 200, {
      query,
      number_of_results: pages.length,
      results: pages.map((page, i) => ({
        url: page.url,
        title: page.title,
        content: escapeHtml(page.text),
        engine: 'duckduckgo',
        engines: ['duckduckgo', 'brave'],
        score: 1 / (i + 1),
        category: 'general',
      })),
      answers: options.answers ?? [],
      corrections: [],
      infoboxes: [],
      suggestions: [],
      unresponsive_engines: [['google', 'timeout']],
    })
  })
}
