/** Serper stand-in: `POST /search` with `X-API-KEY`; answers "population" questions with an answer box. */
import { findPages } from './corpus.js'
import { sendJson, startFakeServer } from './fake-server.js'
import type { FakeServer } from './fake-server.js'

export const FAKE_SERPER_KEY = 'serper-test-key'

export async function startFakeSerper(): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    if (request.method !== 'POST' || request.path !== '/search') return sendJson(response, 404, {})
    if (request.headers['x-api-key'] !== FAKE_SERPER_KEY) {
      return sendJson(response, 403, { message: 'Unauthorized.', statusCode: 403 })
    }
    const body = request.json as { q?: string; num?: number }
    const query = body.q ?? ''
    const pages = findPages(query).slice(0, body.num ?? 10)
    sendJson(response, 200, {
      searchParameters: { q: query, type: 'search', engine: 'google' },
      ...(/population/i.test(query)
        ? { answerBox: { title: 'Shanghai / Population', answer: '24.87 million (2020)', link: 'https://example.org/answer' } }
        : {}),
      organic: pages.map((page, i) => ({ title: page.title, link: page.url, snippet: page.text, position: i + 1 })),
    })
  })
}
