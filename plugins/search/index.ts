/**
 * The built-in `Search` plugin: web search (SearxNG, Brave, Tavily, Serper, Wikipedia) or an embedded index over
 * the user's documents. It returns the top hits as a JSON array of snippet strings; the dialogue format numbers
 * them (`<|1|>: '…'`) across the turn.
 */
import { AbortedError, MossError, PluginError, definePlugin, describeError, searchHitsOutput } from '../../src/plugin-kit.js'
import type { Plugin } from '../../src/plugin-kit.js'
import { searchAll } from './combine.js'
import { createSearchBackends } from './config.js'
import type { SearchConfig } from './config.js'

/** Longest query passed on; models sometimes paste whole paragraphs into Search(). */
const MAX_QUERY_CHARS = 500

/**
 * Creates the Search plugin (command `Search`, argument `query`). Backends are built eagerly, so a bad config throws
 * a ConfigError here rather than during a turn.
 */
export function search(config: SearchConfig = {}): Plugin {
  const backends = createSearchBackends(config)
  const limit = config.limit ?? 3
  return definePlugin({
    name: 'search',
    command: 'Search',
    label: 'Web search',
    description: 'Searches the web (or the configured documents) and returns the top passages.',
    parameters: {
      type: 'object',
      properties: { query: { type: 'string', description: 'What to search for, in the language of the sources' } },
      required: ['query'],
    },
    enabled: config.enabled ?? true,
    config: { backends: backends.map((backend) => backend.name), limit },
    async run(input, ctx) {
      const query = input.trim().slice(0, MAX_QUERY_CHARS)
      if (!query) throw new PluginError('search', 'Search needs a non-empty query.')
      const { hits, failures } = await searchAll(backends, query, ctx.signal, limit)
      for (const failure of failures) {
        ctx.log.warn('search backend failed', { backend: failure.backend, error: describeError(failure.error) })
      }
      if (hits.length === 0) {
        const aborted = failures.find((failure) => MossError.isInstance(failure.error) && failure.error.code === 'MOSS_ERR_ABORTED')
        if (aborted || ctx.signal.aborted) throw new AbortedError('Search aborted', { cause: aborted?.error })
        if (failures.length > 0) {
          const reasons = failures.map((failure) => describeError(failure.error)).join('; ')
          throw new PluginError('search', `Search failed: ${reasons}`, { cause: failures[0]?.error })
        }
        throw new PluginError('search', `No search results for "${query}".`)
      }
      ctx.log.debug('search hits', { count: hits.length, sources: hits.map((hit) => hit.source) })
      // The hits as data (and as a JSON array of snippets for formats that show text): the format numbers, quotes and cuts them.
      return searchHitsOutput(hits.map((hit) => hit.snippet))
    },
    async dispose() {
      await Promise.all(backends.map((backend) => backend.dispose?.()))
    },
  })
}

export { braveBackend } from './backends/brave.js'
export type { BraveOptions } from './backends/brave.js'
export { searxngBackend } from './backends/searxng.js'
export type { SearxngOptions } from './backends/searxng.js'
export { serperBackend } from './backends/serper.js'
export type { SerperOptions } from './backends/serper.js'
export { tavilyBackend } from './backends/tavily.js'
export type { TavilyOptions } from './backends/tavily.js'
export { wikipediaBackend, wikipediaLanguageFor } from './backends/wikipedia.js'
export type { WikipediaOptions } from './backends/wikipedia.js'
export { localIndexBackend } from './local/local-index.js'
export type { LocalIndexBackend, LocalIndexOptions, RefreshStats } from './local/local-index.js'
export { tokenize as cjkTokenize } from './local/tokenizer.js'
export { cleanSnippet } from './clean-text.js'
export { dedupeHits } from './combine.js'
export { createSearchBackends, defaultBackendNames, searchConfigFromEnv, SEARCH_BACKEND_NAMES } from './config.js'
export type { SearchBackendName, SearchConfig } from './config.js'
export type { HttpBackendOptions, SearchBackend, SearchCallOptions, SearchHit } from './types.js'
