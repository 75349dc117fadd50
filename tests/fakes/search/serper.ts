/**
 * Serper stand-in: `POST /search` with `X-API-KEY`. Google's answer box comes in several shapes and Serper passes
 * them through: `answer` (a direct value), `snippet` (a featured passage), or only `snippetHighlighted` (the
 * highlighted fragments of a featured passage, as an array of strings). Queries pick the shape:
 * "population" → `answer`, "highest" → `snippetHighlighted` only.
 */
import { findPages } from './corpus.js'
import { sendJson, startFakeServer } from './fake-server.js'
import type { FakeServer } from './fake-server.js'

export const FAKE_SERPER_KEY = 'serper-test-key'

function answerBoxFor(query: string): Record<string, unknown> | undefined {
  if (/population/i.test(query)) {
    return { title: 'Shanghai / Population', answer: '24.87 million (2020)', link: 'https://example.org/answer' }
  }
  if (/highest/i.test(query)) {
    return { title: 'Highest mountain - Example Atlas', link: 'https://example.org/atlas/highest', snippetHighlighted: ['Mount Everest', '8,849 m'] }
  }
  return undefined
}

export async function startFakeSerper(): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    if (request.method !== 'POST' || request.path !== '/search') return sendJson(response, 404, {})
    if (request.headers['x-api-key'] !== FAKE_SERPER_KEY) {
      return sendJson(response, 403, { message: 'Unauthorized.', statusCode: 403 })
    }
    const body = request.json as { q?: string; num?: number }
    const query = body.q ?? ''
    const pages = findPages(query).slice(0, body.num ?? 10)
    const answerBox = answerBoxFor(query)
    sendJson(response, 200, {
      searchParameters: { q: query, type: 'search', engine: 'google' },
      ...(answerBox ? { answerBox } : {}),
      organic: pages.map((page, i) => ({ title: page.title, link: page.url, snippet: page.text, position: i + 1 })),
    })
  })
}
