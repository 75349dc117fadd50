import { ServiceError } from '../../../src/plugin-kit.js'
import { cleanSnippet } from '../clean-text.js'
import { fetchSearchJson, joinUrl } from '../http.js'
import { asArray, asRecord, asString } from '../json.js'
import type { HttpBackendOptions, SearchBackend, SearchHit } from '../types.js'

/** Any MediaWiki site's search API; Wikipedia by default. Needs no key. */
export interface WikipediaOptions extends HttpBackendOptions {
  /**
   * Site base URL, e.g. `https://zh.wikipedia.org` (the API is `{baseUrl}/w/api.php`), or the full URL of an
   * `api.php`. Defaults to `https://{language}.wikipedia.org`.
   */
  readonly baseUrl?: string
  /**
   * Wikipedia language edition when `baseUrl` is not set. `auto` picks `zh` for queries in Chinese characters, `ja`
   * when they contain kana, `ko` for hangul, else `en`. Defaults to `auto`.
   */
  readonly language?: string
  /** User-Agent sent to the site; Wikimedia asks for a contact. Defaults to a moss-agent identification. */
  readonly userAgent?: string
}

/** Query script → Wikipedia edition, checked in order (kana before Han: Japanese mixes both). */
const LANGUAGE_BY_SCRIPT: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, 'ja'],
  [/\p{Script=Hangul}/u, 'ko'],
  [/\p{Script=Han}/u, 'zh'],
]

/** The Wikipedia edition for a query under `language: 'auto'`. */
export function wikipediaLanguageFor(query: string): string {
  return LANGUAGE_BY_SCRIPT.find(([script]) => script.test(query))?.[1] ?? 'en'
}

/**
 * The error of a MediaWiki answer, if it carries one. MediaWiki reports errors with HTTP 200 (plus a
 * `MediaWiki-API-Error` header naming the code): `{error: {code, info}}` in the default format, or
 * `{errors: [{code, text}]}` when a client asks for another `errorformat`.
 */
function mediaWikiError(data: Record<string, unknown>): { code: string; info: string } | undefined {
  const legacy = asRecord(data.error)
  if (asString(legacy.code)) return { code: asString(legacy.code), info: asString(legacy.info) }
  const first = asRecord(asArray(data.errors)[0])
  if (asString(first.code)) return { code: asString(first.code), info: asString(first.text) || asString(first['*']) }
  return undefined
}

/** MediaWiki backend: `action=query&list=search`; snippets lose their `searchmatch` markup. */
export function wikipediaBackend(options: WikipediaOptions = {}): SearchBackend {
  return {
    name: 'wikipedia',
    async search(query, { signal, limit }) {
      const language = !options.language || options.language === 'auto' ? wikipediaLanguageFor(query) : options.language
      const site = options.baseUrl ?? `https://${language}.wikipedia.org`
      const api = /api\.php$/.test(new URL(site).pathname) ? new URL(site) : joinUrl(site, 'w/api.php')
      api.searchParams.set('action', 'query')
      api.searchParams.set('list', 'search')
      api.searchParams.set('srsearch', query)
      api.searchParams.set('srlimit', String(Math.min(50, Math.max(limit, 1))))
      api.searchParams.set('format', 'json')
      api.searchParams.set('formatversion', '2')
      const headers: Record<string, string> = options.userAgent ? { 'user-agent': options.userAgent } : {}
      const data = asRecord(await fetchSearchJson('Wikipedia', api, options, signal, { headers }))
      const error = mediaWikiError(data)
      // Named, so the model and the user learn that the wiki refused (e.g. `readapidenied` on a private wiki)
      // rather than that nothing matched.
      if (error) {
        const info = cleanSnippet(error.info, 300)
        throw new ServiceError(`Wikipedia refused the request (${error.code})${info ? `: ${info}` : ''}`, 200)
      }
      const pageBase = api.href.replace(/\/w\/api\.php.*$|\/api\.php.*$/, '')
      const hits: SearchHit[] = []
      for (const result of asArray(asRecord(data.query).search)) {
        const record = asRecord(result)
        const title = cleanSnippet(asString(record.title))
        const text = cleanSnippet(asString(record.snippet))
        if (!text) continue
        // Wikipedia snippets are fragments that rarely name their subject: lead with the article title.
        hits.push({
          title,
          url: `${pageBase}/wiki/${encodeURIComponent(title.replace(/ /g, '_'))}`,
          snippet: title ? `${title}: ${text}` : text,
          source: 'wikipedia',
        })
      }
      return hits.slice(0, limit)
    },
  }
}
