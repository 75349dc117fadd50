import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../../../src/index.js'
import { search } from '../../../../plugins/search/index.js'
import { createSearchBackends, defaultBackendNames, searchConfigFromEnv } from '../../../../plugins/search/config.js'
import { wikipediaLanguageFor } from '../../../../plugins/search/backends/wikipedia.js'

describe('search configuration', () => {
  it('defaults to Wikipedia when nothing is configured', () => {
    expect(defaultBackendNames({})).toEqual(['wikipedia'])
  })

  it('prefers the local index, then the first web backend in documented order', () => {
    expect(defaultBackendNames({ local: { folder: '/tmp/x' }, brave: { apiKey: 'k' } })).toEqual(['local'])
    expect(defaultBackendNames({ serper: { apiKey: 'k' }, brave: { apiKey: 'k' } })).toEqual(['brave'])
    expect(defaultBackendNames({ tavily: { apiKey: 'k' }, searxng: { baseUrl: 'http://127.0.0.1:1' } })).toEqual(['searxng'])
  })

  it('builds the explicitly selected combination', () => {
    const backends = createSearchBackends({ backends: ['wikipedia', 'brave'], brave: { apiKey: 'k' } })
    expect(backends.map((b) => b.name)).toEqual(['wikipedia', 'brave'])
  })

  it('rejects a selected backend without its options, and keyed backends without a key', () => {
    expect(() => createSearchBackends({ backends: ['serper'] })).toThrow(ConfigError)
    expect(() => createSearchBackends({ brave: { apiKey: '' } })).toThrow(/apiKey/)
  })

  it('maps environment variables', () => {
    const config = searchConfigFromEnv({
      MOSS_SEARCH_BACKEND: 'local, wikipedia',
      MOSS_SEARCH_DOCS: '/data/docs',
      MOSS_SEARCH_INDEX: '/tmp/index.json',
      MOSS_SEARXNG_URL: 'http://127.0.0.1:8888',
      MOSS_BRAVE_API_KEY: 'b',
      MOSS_TAVILY_API_KEY: 't',
      MOSS_TAVILY_URL: 'http://127.0.0.1:9',
      MOSS_SERPER_API_KEY: ' ',
      MOSS_WIKIPEDIA_URL: 'https://zh.wikipedia.org',
      MOSS_SEARCH_TIMEOUT_MS: '5000',
    })
    expect(config).toEqual({
      backends: ['local', 'wikipedia'],
      local: { folder: '/data/docs', indexPath: '/tmp/index.json' },
      searxng: { baseUrl: 'http://127.0.0.1:8888' },
      brave: { apiKey: 'b' },
      tavily: { apiKey: 't', baseUrl: 'http://127.0.0.1:9' },
      wikipedia: { baseUrl: 'https://zh.wikipedia.org' },
      timeoutMs: 5000,
    })
  })

  it('disables search with MOSS_SEARCH_BACKEND=none and rejects unknown names and bad numbers', () => {
    expect(search(searchConfigFromEnv({ MOSS_SEARCH_BACKEND: 'none' })).enabled).toBe(false)
    expect(() => searchConfigFromEnv({ MOSS_SEARCH_BACKEND: 'bing' })).toThrow(ConfigError)
    expect(() => searchConfigFromEnv({ MOSS_SEARCH_TIMEOUT_MS: '-3' })).toThrow(ConfigError)
  })

  it('describes itself as the MOSS Search command', () => {
    const plugin = search()
    expect(plugin.command).toBe('Search')
    expect(plugin.name).toBe('search')
    expect(plugin.argument).toBe('query')
    expect(plugin.enabled).toBe(true)
  })

  it('picks the Wikipedia edition from the query script', () => {
    expect(wikipediaLanguageFor('上海的人口是多少')).toBe('zh')
    expect(wikipediaLanguageFor('東京タワーの高さ')).toBe('ja')
    expect(wikipediaLanguageFor('서울 인구')).toBe('ko')
    expect(wikipediaLanguageFor('population of Shanghai')).toBe('en')
  })
})
