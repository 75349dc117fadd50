import { ConfigError } from '../../../src/plugin-kit.js'
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

/** Brave backend: `GET /res/v1/web/search`; snippet = description followed by extra snippets. */
export function braveBackend(options: BraveOptions): SearchBackend {
  if (!options.apiKey) throw new ConfigError('Brave search needs an apiKey')
  return {
    name: 'brave',
    async search(query, { signal, limit }) {
      const url = joinUrl(options.baseUrl ?? 'https://api.search.brave.com', 'res/v1/web/search')
      url.searchParams.set('q', query)
      url.searchParams.set('count', String(Math.min(20, Math.max(limit, 1))))
      if (options.country) url.searchParams.set('country', options.country)
      if (options.searchLang) url.searchParams.set('search_lang', options.searchLang)
      const data = await fetchSearchJson('Brave', url, options, signal, {
        headers: { 'x-subscription-token': options.apiKey },
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
