/**
 * Tavily stand-in: `POST /search` with a Bearer key and a JSON body. Tavily documents `max_results` as an integer
 * from 0 to 20; like a validating API, the stand-in refuses anything outside that range with HTTP 400.
 */
import { findPages } from './corpus.js'
import { sendJson, startFakeServer } from './fake-server.js'
import type { FakeServer } from './fake-server.js'

export const FAKE_TAVILY_KEY = 'tvly-test-key'

/** Tavily's documented range of `max_results`. */
export const TAVILY_MAX_RESULTS = 20

export async function startFakeTavily(): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    if (request.method !== 'POST' || request.path !== '/search') return sendJson(response, 404, {})
    if (request.headers.authorization !== `Bearer ${FAKE_TAVILY_KEY}`) {
      return sendJson(response, 401, { detail: { error: 'Unauthorized: missing or invalid API key.' } })
    }
    const body = request.json as { query?: string; max_results?: unknown; include_answer?: boolean }
    const maxResults = body.max_results ?? 5
    if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 0 || maxResults > TAVILY_MAX_RESULTS) {
      return sendJson(response, 400, { detail: { error: `max_results must be an integer from 0 to ${TAVILY_MAX_RESULTS}` } })
    }
    const pages = findPages(body.query ?? '').slice(0, maxResults)
    sendJson(response, 200, {
      query: body.query,
      answer: body.include_answer && pages[0] ? `Answer: ${pages[0].text}` : null,
      results: pages.map((page, i) => ({ title: page.title, url: page.url, content: page.text, score: 0.9 - i * 0.1 })),
      response_time: 0.01,
    })
  })
}
