import { ConfigError, MossError, ServiceError } from '../../../src/plugin-kit.js'
import { blockingBraveWindow, describeWait } from './brave-rate-limit.js'
import type { BraveRateWindow } from './brave-rate-limit.js'
import { cleanSnippet } from '../clean-text.js'
import { fetchSearchJson, joinUrl } from '../http.js'
import { asArray, asRecord, asString } from '../json.js'
import type { HttpBackendOptions, SearchBackend, SearchHit } from '../types.js'

/** Brave Search API (web search). */
export interface BraveOptions extends HttpBackendOptions {
  /** Subscription token (`X-Subscription-Token`). Required. */
  readonly apiKey: string
  /** Defaults to `https://api.search.brave.com`. */
  readonly baseUrl?: string
  /** Two-letter country code, e.g. `CN`. Defaults to Brave's default. */
  readonly country?: string
  /** Result language, e.g. `zh-hans`. Defaults to Brave's default. */
  readonly searchLang?: string
}

/** Longest snippet built from `description` plus `extra_snippets`. */
const BRAVE_SNIPPET_CHARS = 600

/** Brave's documented limits of `q`: at most 400 characters and 50 words. */
const BRAVE_MAX_QUERY_CHARS = 400
const BRAVE_MAX_QUERY_WORDS = 50

/** Brave's documented largest `count`. */
const BRAVE_MAX_COUNT = 20

/** Results asked for beyond the limit: some come without a description and are skipped. */
const BRAVE_EXTRA_RESULTS = 3

/**
 * The query cut to Brave's limits on a word boundary: the first 50 words, then at most 400 characters (code points)
 * ending at a space when there is one. Whitespace runs become single spaces.
 */
export function fitBraveQuery(query: string): string {
  const words = query.trim().split(/\s+/).slice(0, BRAVE_MAX_QUERY_WORDS).join(' ')
  const chars = [...words]
  if (chars.length <= BRAVE_MAX_QUERY_CHARS) return words
  const cut = chars.slice(0, BRAVE_MAX_QUERY_CHARS).join('')
  if (chars[BRAVE_MAX_QUERY_CHARS] === ' ') return cut
  const space = cut.lastIndexOf(' ')
  // A text without spaces (Chinese, Japanese) has no word boundary to keep: cut at the limit.
  return space > 0 ? cut.slice(0, space) : cut
}

/** Names the spent quota when a 429 outlasted the retries (a monthly quota resets in days, not seconds). */
function explainRateLimit(error: unknown, blocking: BraveRateWindow | undefined): unknown {
  if (!blocking || !MossError.isInstance(error) || (error as ServiceError).status !== 429) return error
  const window = blocking.windowSeconds
  const quota =
    window === undefined ? 'its' : window === 1 ? 'the per-second' : window >= 28 * 86400 ? 'the monthly' : `the ${describeWait(window)}`
  return new ServiceError(`Brave's rate limit: ${quota} quota of this plan is used up (resets in ${describeWait(blocking.resetSeconds)})`, 429, {
    cause: error,
  })
}

/**
 * Brave backend: `GET /res/v1/web/search`; snippet = description followed by extra snippets. The query is cut to
 * Brave's limits, and a few more results than needed are asked for (results without a description are skipped).
 * A 429 is retried after the time `X-RateLimit-Reset` gives for the spent window, when that fits the timeout and
 * the retry policy's `maxRetryAfterMs`.
 */
export function braveBackend(options: BraveOptions): SearchBackend {
  if (!options.apiKey) throw new ConfigError('Brave search needs an apiKey')
  return {
    name: 'brave',
    async search(query, { signal, limit }) {
      const url = joinUrl(options.baseUrl ?? 'https://api.search.brave.com', 'res/v1/web/search')
      url.searchParams.set('q', fitBraveQuery(query))
      url.searchParams.set('count', String(Math.min(BRAVE_MAX_COUNT, Math.max(limit, 1) + BRAVE_EXTRA_RESULTS)))
      if (options.country) url.searchParams.set('country', options.country)
      if (options.searchLang) url.searchParams.set('search_lang', options.searchLang)
      let blocking: BraveRateWindow | undefined
      const data = await fetchSearchJson('Brave', url, options, signal, {
        headers: { 'x-subscription-token': options.apiKey },
        // Brave says when to come back in X-RateLimit-Reset (per window), not in Retry-After.
        retryAfter: ({ status, headers }) => {
          if (status !== 429) return undefined
          blocking = blockingBraveWindow(headers)
          return blocking && blocking.resetSeconds > 0 ? blocking.resetSeconds * 1000 : undefined
        },
      }).catch((error: unknown) => {
        throw explainRateLimit(error, blocking)
      })
      const hits: SearchHit[] = []
      for (const result of asArray(asRecord(asRecord(data).web).results)) {
        const record = asRecord(result)
        let snippet = cleanSnippet(asString(record.description))
        for (const extra of asArray(record.extra_snippets)) {
          const text = cleanSnippet(asString(extra))
          if (!text || snippet.length + text.length + 1 > BRAVE_SNIPPET_CHARS) continue
          snippet = snippet ? `${snippet} ${text}` : text
        }
        if (snippet) {
          hits.push({ title: cleanSnippet(asString(record.title)), url: asString(record.url), snippet, source: 'brave' })
        }
      }
      return hits.slice(0, limit)
    },
  }
}
