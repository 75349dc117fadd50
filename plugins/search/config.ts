/** Search plugin configuration, backend selection and the environment-variable mapping used by the CLI. */
import { ConfigError } from '../../src/plugin-kit.js'
import type { RetryPolicy } from '../../src/plugin-kit.js'
import { braveBackend } from './backends/brave.js'
import type { BraveOptions } from './backends/brave.js'
import { searxngBackend } from './backends/searxng.js'
import type { SearxngOptions } from './backends/searxng.js'
import { serperBackend } from './backends/serper.js'
import type { SerperOptions } from './backends/serper.js'
import { tavilyBackend } from './backends/tavily.js'
import type { TavilyOptions } from './backends/tavily.js'
import { wikipediaBackend } from './backends/wikipedia.js'
import type { WikipediaOptions } from './backends/wikipedia.js'
import { localIndexBackend } from './local/local-index.js'
import type { LocalIndexOptions } from './local/local-index.js'
import type { SearchBackend } from './types.js'
import { readEnvPositiveInteger, readEnvString } from '../shared/env.js'
import type { Env } from '../shared/env.js'

/** Names of the built-in backends. */
export type SearchBackendName = 'local' | 'searxng' | 'brave' | 'tavily' | 'serper' | 'wikipedia'

/** Built-in backend names, in the order the default selection tries the web ones. */
export const SEARCH_BACKEND_NAMES: readonly SearchBackendName[] = ['local', 'searxng', 'brave', 'tavily', 'serper', 'wikipedia']

/** Configuration of the `search` plugin. Every field is optional: with none, Wikipedia is searched. */
export interface SearchConfig {
  /**
   * Backends to query, combined (results interleaved by rank, duplicates by URL or snippet removed). Names refer to
   * the option blocks below; objects are custom backends. Defaults to one backend: `local` when `local` is set, else
   * the first of `searxng`, `brave`, `tavily`, `serper` that is set, else `wikipedia`.
   */
  readonly backends?: readonly (SearchBackendName | SearchBackend)[]
  /** The local document index. */
  readonly local?: LocalIndexOptions
  /** A SearxNG instance. */
  readonly searxng?: SearxngOptions
  /** Brave Search API. */
  readonly brave?: BraveOptions
  /** Tavily API. */
  readonly tavily?: TavilyOptions
  /** Serper (Google) API. */
  readonly serper?: SerperOptions
  /** Wikipedia or another MediaWiki site. */
  readonly wikipedia?: WikipediaOptions
  /** Hits returned per query. Defaults to `3` (what MOSS was trained on). */
  readonly limit?: number
  /** Deadline per query for web backends that do not set their own. Defaults to `10000` ms. */
  readonly timeoutMs?: number
  /** Retry policy for web backends that do not set their own. Defaults to 3 attempts with backoff. */
  readonly retry?: RetryPolicy
  /** Set `false` to list Web search as disabled. Defaults to `true`. */
  readonly enabled?: boolean
}

/** The backend names the default selection would pick for this config. */
export function defaultBackendNames(config: SearchConfig): SearchBackendName[] {
  if (config.local) return ['local']
  const web = (['searxng', 'brave', 'tavily', 'serper'] as const).find((name) => config[name] !== undefined)
  return [web ?? 'wikipedia']
}

function withHttpDefaults<T extends { timeoutMs?: number; retry?: RetryPolicy }>(options: T, config: SearchConfig): T {
  return {
    ...options,
    ...(options.timeoutMs === undefined && config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    ...(options.retry === undefined && config.retry !== undefined ? { retry: config.retry } : {}),
  }
}

function required<T>(value: T | undefined, name: SearchBackendName): T {
  if (value === undefined) throw new ConfigError(`Search backend "${name}" is selected but has no "${name}" options`)
  return value
}

/** Builds the backends a config selects. Throws {@link ConfigError} for unknown names or missing options. */
export function createSearchBackends(config: SearchConfig): SearchBackend[] {
  const selection = config.backends ?? defaultBackendNames(config)
  if (selection.length === 0) throw new ConfigError('Search needs at least one backend')
  return selection.map((entry) => {
    if (typeof entry !== 'string') return entry
    switch (entry) {
      case 'local':
        return localIndexBackend(required(config.local, entry))
      case 'searxng':
        return searxngBackend(withHttpDefaults(required(config.searxng, entry), config))
      case 'brave':
        return braveBackend(withHttpDefaults(required(config.brave, entry), config))
      case 'tavily':
        return tavilyBackend(withHttpDefaults(required(config.tavily, entry), config))
      case 'serper':
        return serperBackend(withHttpDefaults(required(config.serper, entry), config))
      case 'wikipedia':
        return wikipediaBackend(withHttpDefaults(config.wikipedia ?? {}, config))
      default:
        throw new ConfigError(`Unknown search backend "${String(entry)}" (known: ${SEARCH_BACKEND_NAMES.join(', ')})`)
    }
  })
}

/**
 * Reads the search configuration from environment variables (see the README table): `MOSS_SEARCH_BACKEND`
 * (comma-separated names, or `none` to disable), `MOSS_SEARCH_DOCS`, `MOSS_SEARCH_INDEX`, `MOSS_SEARXNG_URL`,
 * `MOSS_BRAVE_API_KEY`, `MOSS_TAVILY_API_KEY`, `MOSS_SERPER_API_KEY` (each with a `…_URL` override),
 * `MOSS_WIKIPEDIA_URL`, `MOSS_WIKIPEDIA_LANG`, `MOSS_WIKIPEDIA_USER_AGENT`, `MOSS_SEARCH_TIMEOUT_MS`,
 * `MOSS_SEARCH_LIMIT`. Blank values count as unset.
 */
export function searchConfigFromEnv(env: Env = process.env): SearchConfig {
  const get = (name: string): string | undefined => readEnvString(env, name)
  const config: {
    -readonly [K in keyof SearchConfig]: SearchConfig[K]
  } = {}
  const docs = get('MOSS_SEARCH_DOCS')
  if (docs) {
    const indexPath = get('MOSS_SEARCH_INDEX')
    config.local = { folder: docs, ...(indexPath ? { indexPath } : {}) }
  }
  const searxng = get('MOSS_SEARXNG_URL')
  if (searxng) config.searxng = { baseUrl: searxng }
  const keyed = [
    ['brave', 'MOSS_BRAVE_API_KEY', 'MOSS_BRAVE_URL'],
    ['tavily', 'MOSS_TAVILY_API_KEY', 'MOSS_TAVILY_URL'],
    ['serper', 'MOSS_SERPER_API_KEY', 'MOSS_SERPER_URL'],
  ] as const
  for (const [name, keyVar, urlVar] of keyed) {
    const apiKey = get(keyVar)
    const baseUrl = get(urlVar)
    if (apiKey) config[name] = { apiKey, ...(baseUrl ? { baseUrl } : {}) }
  }
  const wikiUrl = get('MOSS_WIKIPEDIA_URL')
  const wikiLang = get('MOSS_WIKIPEDIA_LANG')
  const wikiAgent = get('MOSS_WIKIPEDIA_USER_AGENT')
  if (wikiUrl || wikiLang || wikiAgent) {
    config.wikipedia = {
      ...(wikiUrl ? { baseUrl: wikiUrl } : {}),
      ...(wikiLang ? { language: wikiLang } : {}),
      ...(wikiAgent ? { userAgent: wikiAgent } : {}),
    }
  }
  const timeoutMs = readEnvPositiveInteger(env, 'MOSS_SEARCH_TIMEOUT_MS')
  if (timeoutMs !== undefined) config.timeoutMs = timeoutMs
  const limit = readEnvPositiveInteger(env, 'MOSS_SEARCH_LIMIT')
  if (limit !== undefined) config.limit = limit
  const selection = get('MOSS_SEARCH_BACKEND')
  if (selection) {
    const names = selection.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean)
    if (names.length === 1 && (names[0] === 'none' || names[0] === 'off')) {
      config.enabled = false
    } else {
      for (const name of names) {
        if (!(SEARCH_BACKEND_NAMES as readonly string[]).includes(name)) {
          throw new ConfigError(`MOSS_SEARCH_BACKEND: unknown backend "${name}" (known: ${SEARCH_BACKEND_NAMES.join(', ')}, none)`)
        }
      }
      config.backends = names as SearchBackendName[]
    }
  }
  return config
}
