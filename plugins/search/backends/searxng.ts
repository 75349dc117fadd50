import { ConfigError, MossError, ServiceError } from '../../../src/plugin-kit.js'
import { cleanSnippet } from '../clean-text.js'
import { fetchSearchJson, joinUrl } from '../http.js'
import { asArray, asRecord, asString } from '../json.js'
import type { HttpBackendOptions, SearchBackend, SearchHit } from '../types.js'

/** A self-hosted SearxNG instance. Its `settings.yml` must list `json` under `search.formats`. */
export interface SearxngOptions extends HttpBackendOptions {
  /** Base URL of the instance, e.g. `http://localhost:8888`. Required. */
  readonly baseUrl: string
  /** SearxNG categories, e.g. `general`. Defaults to the instance's default. */
  readonly categories?: string
  /** Search language, e.g. `zh-CN`. Defaults to the instance's default. */
  readonly language?: string
  /** `0`, `1` or `2`. Defaults to the instance's default. */
  readonly safesearch?: 0 | 1 | 2
}

/** SearxNG backend: `GET /search?q=…&format=json`; direct answers first, then results' `content`. */
export function searxngBackend(options: SearxngOptions): SearchBackend {
  if (!options.baseUrl) throw new ConfigError('SearxNG search needs a baseUrl')
  return {
    name: 'searxng',
    async search(query, { signal, limit }) {
      const url = joinUrl(options.baseUrl, 'search')
      url.searchParams.set('q', query)
      url.searchParams.set('format', 'json')
      if (options.categories) url.searchParams.set('categories', options.categories)
      if (options.language) url.searchParams.set('language', options.language)
      if (options.safesearch !== undefined) url.searchParams.set('safesearch', String(options.safesearch))
      let data: unknown
      try {
        data = await fetchSearchJson('SearxNG', url, options, signal)
      } catch (error) {
        if (MossError.isInstance(error) && error.code === 'MOSS_ERR_SERVICE' && (error as ServiceError).status === 403) {
          throw new ServiceError(
            'SearxNG refused JSON output (HTTP 403): add "json" to search.formats in its settings.yml and restart it',
            403,
            { cause: error },
          )
        }
        throw error
      }
      const body = asRecord(data)
      const hits: SearchHit[] = []
      // Newer SearxNG sends answers as objects `{answer, url}`, older ones as plain strings.
      for (const answer of asArray(body.answers)) {
        const record = asRecord(answer)
        const text = typeof answer === 'string' ? answer : asString(record.answer)
        const snippet = cleanSnippet(text)
        if (snippet) hits.push({ title: '', url: asString(record.url), snippet, source: 'searxng' })
      }
      for (const result of asArray(body.results)) {
        const record = asRecord(result)
        const snippet = cleanSnippet(asString(record.content))
        if (snippet) {
          hits.push({ title: cleanSnippet(asString(record.title)), url: asString(record.url), snippet, source: 'searxng' })
        }
      }
      return hits.slice(0, limit)
    },
  }
}
