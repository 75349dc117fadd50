/**
 * Brave Search API stand-in: `GET /res/v1/web/search` with `X-Subscription-Token`, speaking the documented limits:
 * `q` of at most 400 characters and 50 words and `count` of 1..20 (else HTTP 422), and rate limits reported on every
 * answer in the `X-RateLimit-*` headers as comma lists with one entry per window (per second, per month). Over the
 * per-second limit it answers 429 and `X-RateLimit-Reset` says how many seconds until each window resets.
 */
import { escapeHtml, findPages } from './corpus.js'
import { sendJson, startFakeServer } from './fake-server.js'
import type { FakeServer } from './fake-server.js'

export const FAKE_BRAVE_KEY = 'brave-test-key'

/** Brave's documented limits of the `q` parameter. */
export const BRAVE_MAX_QUERY_CHARS = 400
export const BRAVE_MAX_QUERY_WORDS = 50

export interface FakeBraveOptions {
  /** Requests allowed per one-second window (the free plan allows 1). Defaults to unlimited. */
  readonly perSecond?: number
  /** Requests left in the month. Defaults to plenty. */
  readonly monthlyRemaining?: number
  /** How many of the first results come without `description` and `extra_snippets`. Defaults to 0. */
  readonly bareResults?: number
}

const SECONDS_TO_MONTH_END = 1_419_704

function errorResponse(status: number, code: string, detail: string): Record<string, unknown> {
  return { type: 'ErrorResponse', error: { id: 'fake-error-id', status, code, detail }, time: 1_700_000_000 }
}

export async function startFakeBrave(options: FakeBraveOptions = {}): Promise<FakeServer> {
  const perSecond = options.perSecond ?? 1000
  let monthly = options.monthlyRemaining ?? 15_000
  let windowStart = 0
  let usedInWindow = 0
  return startFakeServer((request, response) => {
    if (request.method !== 'GET' || request.path !== '/res/v1/web/search') return sendJson(response, 404, {})
    if (request.headers['x-subscription-token'] !== FAKE_BRAVE_KEY) {
      return sendJson(response, 401, errorResponse(401, 'SUBSCRIPTION_TOKEN_INVALID', 'The provided subscription token is invalid.'))
    }
    const now = Date.now()
    if (now - windowStart >= 1000) {
      windowStart = now
      usedInWindow = 0
    }
    const secondReset = Math.max(1, Math.ceil((windowStart + 1000 - now) / 1000))
    const limited = usedInWindow >= perSecond || monthly <= 0
    const rateHeaders = {
      'x-ratelimit-limit': `${perSecond}, 15000`,
      'x-ratelimit-policy': `${perSecond};w=1, 15000;w=2592000`,
      'x-ratelimit-remaining': `${Math.max(0, perSecond - usedInWindow - (limited ? 0 : 1))}, ${Math.max(0, monthly - (limited ? 0 : 1))}`,
      'x-ratelimit-reset': `${secondReset}, ${SECONDS_TO_MONTH_END}`,
    }
    for (const [name, value] of Object.entries(rateHeaders)) response.setHeader(name, value)
    if (limited) {
      return sendJson(response, 429, errorResponse(429, 'RATE_LIMITED', 'The plan allows fewer requests than were made.'))
    }
    const query = request.query.get('q') ?? ''
    const words = query.trim().split(/\s+/).filter(Boolean)
    if (!query.trim() || [...query].length > BRAVE_MAX_QUERY_CHARS || words.length > BRAVE_MAX_QUERY_WORDS) {
      return sendJson(response, 422, errorResponse(422, 'VALIDATION', 'q: needs 1 to 400 characters and at most 50 words'))
    }
    const count = Number(request.query.get('count') ?? 20)
    if (!Number.isInteger(count) || count < 1 || count > 20) {
      return sendJson(response, 422, errorResponse(422, 'VALIDATION', 'count: must be an integer from 1 to 20'))
    }
    usedInWindow++
    monthly--
    const pages = findPages(query).slice(0, count)
    sendJson(response, 200, {
      type: 'search',
      query: { original: query },
      web: {
        type: 'search',
        results: pages.map((page, i) =>
          i < (options.bareResults ?? 0)
            ? { title: page.title, url: page.url, type: 'search_result' }
            : {
                title: page.title,
                url: page.url,
                type: 'search_result',
                // Brave marks matches with <strong>.
                description: escapeHtml(page.text).replace(/(\d[\d.,]*)/, '<strong>$1</strong>'),
                extra_snippets: [`More about ${escapeHtml(page.title)}.`],
              },
        ),
      },
    })
  })
}
