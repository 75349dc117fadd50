import { ConfigError } from '../../../src/plugin-kit.js'
import { cleanSnippet } from '../clean-text.js'
import { fetchSearchJson, joinUrl } from '../http.js'
import { asArray, asRecord, asString } from '../json.js'
import type { HttpBackendOptions, SearchBackend, SearchHit } from '../types.js'

/** Serper (Google results), the service the original MOSS used. */
export interface SerperOptions extends HttpBackendOptions {
  /** API key (`X-API-KEY`). Required. */
  readonly apiKey: string
  /** Defaults to `https://google.serper.dev`. */
  readonly baseUrl?: string
  /** Country, e.g. `cn`. Defaults to Serper's default. */
  readonly gl?: string
  /** Interface language, e.g. `zh-cn`. Defaults to Serper's default. */
  readonly hl?: string
}

/**
 * Serper backend: `POST /search`; the answer box as-is first (as MOSS did: its `answer`, else its `snippet`, else its
 * `snippetHighlighted` fragments), then organic snippets.
 */
export function serperBackend(options: SerperOptions): SearchBackend {
  if (!options.apiKey) throw new ConfigError('Serper search needs an apiKey')
  return {
    name: 'serper',
    async search(query, { signal, limit }) {
      const data = asRecord(
        await fetchSearchJson('Serper', joinUrl(options.baseUrl ?? 'https://google.serper.dev', 'search'), options, signal, {
          method: 'POST',
          headers: { 'x-api-key': options.apiKey },
          body: {
            q: query,
            num: Math.max(limit, 10),
            ...(options.gl ? { gl: options.gl } : {}),
            ...(options.hl ? { hl: options.hl } : {}),
          },
        }),
      )
      const hits: SearchHit[] = []
      const box = asRecord(data.answerBox)
      // Google's answer box is a direct value, a featured passage, or only that passage's highlighted fragments.
      const highlighted = asArray(box.snippetHighlighted).map(asString).filter(Boolean).join(' ')
      const boxText = cleanSnippet(asString(box.answer) || asString(box.snippet) || highlighted)
      if (boxText) {
        hits.push({ title: cleanSnippet(asString(box.title)), url: asString(box.link), snippet: boxText, source: 'serper' })
      }
      for (const result of asArray(data.organic)) {
        const record = asRecord(result)
        const snippet = cleanSnippet(asString(record.snippet))
        if (snippet) {
          hits.push({ title: cleanSnippet(asString(record.title)), url: asString(record.link), snippet, source: 'serper' })
        }
      }
      return hits.slice(0, limit)
    },
  }
}
