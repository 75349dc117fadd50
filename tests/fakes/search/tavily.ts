/** Tavily stand-in: `POST /search` with a Bearer key and a JSON body. */
import { findPages } from './corpus.js'
import { sendJson, startFakeServer } from './fake-server.js'
import type { FakeServer } from './fake-server.js'

export const FAKE_TAVILY_KEY = 'tvly-test-key'

export async function startFakeTavily(): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    if (request.method !== 'POST' || request.path !== '/search') return sendJson(response, 404, {})
    if (request.headers.authorization !== `Bearer ${FAKE_TAVILY_KEY}`) {
      return sendJson(response, 401, { detail: { error: 'Unauthorized: missing or invalid API key.' } })
    }
    const body = request.json as { query?: string; max_results?: number; include_answer?: boolean }
    const pages = findPages(body.query ?? '').slice(0, body.max_results ?? 5)
    sendJson(response, 200, {
      query: body.query,
      answer: body.include_answer && pages[0] ? `Answer: ${pages[0].text}` : null,
      results: pages.map((page, i) => ({ title: page.title, url: page.url, content: page.text, score: 0.9 - i * 0.1 })),
      response_time: 0.01,
    })
  })
}
