import { ConfigError } from '../../../src/plugin-kit.js'
import { cleanSnippet } from '../clean-text.js'
import { fetchSearchJson, joinUrl } from '../http.js'
import { asArray, asRecord, asString } from '../json.js'
import type { HttpBackendOptions, SearchBackend, SearchHit } from '../types.js'

/** Tavily search API. */
export interface TavilyOptions extends HttpBackendOptions {
  /** API key, sent as a Bearer token. Required. */
  readonly apiKey: string
  /** Defaults to `https://api.tavily.com`. */
  readonly baseUrl?: string
  /** `basic` or `advanced`. Defaults to `basic`. */
  readonly searchDepth?: 'basic' | 'advanced'
  /** Ask Tavily for a generated answer, returned as the first hit. Defaults to `true`. */
  readonly includeAnswer?: boolean
}

/** Tavily documents `max_results` as 0..20 and rejects more. */
const TAVILY_MAX_RESULTS = 20

/** Tavily backend: `POST /search`; its answer first, then results' `content`. */
export function tavilyBackend(options: TavilyOptions): SearchBackend {
  if (!options.apiKey) throw new ConfigError('Tavily search needs an apiKey')
  return {
    name: 'tavily',
    async search(query, { signal, limit }) {
      const data = asRecord(
        await fetchSearchJson('Tavily', joinUrl(options.baseUrl ?? 'https://api.tavily.com', 'search'), options, signal, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.apiKey}` },
          body: {
            query,
            max_results: Math.min(TAVILY_MAX_RESULTS, Math.max(limit, 1)),
            search_depth: options.searchDepth ?? 'basic',
            include_answer: options.includeAnswer ?? true,
          },
        }),
      )
      const hits: SearchHit[] = []
      const answer = cleanSnippet(asString(data.answer))
      if (answer) hits.push({ title: '', url: '', snippet: answer, source: 'tavily' })
      for (const result of asArray(data.results)) {
        const record = asRecord(result)
        const snippet = cleanSnippet(asString(record.content))
        if (snippet) {
          hits.push({ title: cleanSnippet(asString(record.title)), url: asString(record.url), snippet, source: 'tavily' })
        }
      }
      return hits.slice(0, limit)
    },
  }
}
