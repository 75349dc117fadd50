/**
 * The web backends against stand-ins that speak each service's documented limits and error forms (issue 20):
 * Brave's query limits, rate-limit headers and description-less results, Tavily's `max_results` range, Serper's
 * highlighted-only answer box and MediaWiki's HTTP-200 errors.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { braveBackend, search, serperBackend, tavilyBackend, wikipediaBackend } from '../../../../plugins/search/index.js'
import { BRAVE_MAX_QUERY_CHARS, BRAVE_MAX_QUERY_WORDS, FAKE_BRAVE_KEY, startFakeBrave } from '../../../fakes/search/brave.js'
import { startFakeMediaWiki } from '../../../fakes/search/mediawiki.js'
import { FAKE_SERPER_KEY, startFakeSerper } from '../../../fakes/search/serper.js'
import { FAKE_TAVILY_KEY, TAVILY_MAX_RESULTS, startFakeTavily } from '../../../fakes/search/tavily.js'
import type { FakeServer } from '../../../fakes/search/fake-server.js'

const signal = new AbortController().signal
const fakes: FakeServer[] = []
async function fake(start: Promise<FakeServer>): Promise<FakeServer> {
  const server = await start
  fakes.push(server)
  return server
}
afterAll(async () => {
  await Promise.all(fakes.map((server) => server.close()))
})

describe('Brave: documented query limits', () => {
  it('cuts a pasted 78-word, 400+-character query on a word boundary to at most 400 characters and 50 words', async () => {
    const server = await fake(startFakeBrave())
    const words = Array.from({ length: 78 }, (_, i) => (i === 0 ? 'everest' : `word${i}`))
    const pasted = words.join(' ')
    expect(pasted.length).toBeGreaterThan(BRAVE_MAX_QUERY_CHARS)
    const hits = await braveBackend({ apiKey: FAKE_BRAVE_KEY, baseUrl: server.url }).search(pasted, { signal, limit: 3 })
    const sent = server.requests[0]?.query.get('q') ?? ''
    expect([...sent].length).toBeLessThanOrEqual(BRAVE_MAX_QUERY_CHARS)
    expect(sent.split(' ')).toHaveLength(BRAVE_MAX_QUERY_WORDS)
    expect(pasted.startsWith(`${sent} `)).toBe(true) // whole words only
    expect(hits[0]?.url).toBe('https://example.org/wiki/Everest')
  })

  it('cuts a long query without spaces (Chinese) at 400 characters', async () => {
    const server = await fake(startFakeBrave())
    const pasted = '上海'.repeat(300)
    await braveBackend({ apiKey: FAKE_BRAVE_KEY, baseUrl: server.url }).search(pasted, { signal, limit: 3 })
    expect(server.requests[0]?.query.get('q')).toBe('上海'.repeat(200))
  })
})

describe('Brave: rate limits', () => {
  it('waits as X-RateLimit-Reset says, so a second search on the 1 request/s plan succeeds', async () => {
    const server = await fake(startFakeBrave({ perSecond: 1 }))
    const backend = braveBackend({ apiKey: FAKE_BRAVE_KEY, baseUrl: server.url })
    expect(await backend.search('mount everest', { signal, limit: 3 })).not.toHaveLength(0)
    const second = await backend.search('python language', { signal, limit: 3 })
    expect(second[0]?.url).toBe('https://example.org/wiki/Python')
    expect(server.requests.map((request) => request.query.get('q'))).toEqual(['mount everest', 'python language', 'python language'])
  })

  it('does not wait for a monthly reset beyond the timeout and says the quota is used up', async () => {
    const server = await fake(startFakeBrave({ monthlyRemaining: 0 }))
    const backend = braveBackend({ apiKey: FAKE_BRAVE_KEY, baseUrl: server.url, timeoutMs: 3000 })
    await expect(backend.search('mount everest', { signal, limit: 3 })).rejects.toMatchObject({
      code: 'MOSS_ERR_SERVICE',
      status: 429,
      message: expect.stringMatching(/Brave.*quota.*resets in 16 days/) as unknown,
    })
    expect(server.requests).toHaveLength(1)
  })
})

describe('Brave: results without a description', () => {
  it('asks for a few more results than needed so bare results still leave the limit filled', async () => {
    const server = await fake(startFakeBrave({ bareResults: 1 }))
    const hits = await braveBackend({ apiKey: FAKE_BRAVE_KEY, baseUrl: server.url }).search('Shanghai Everest Python 上海', {
      signal,
      limit: 3,
    })
    expect(hits).toHaveLength(3)
    expect(Number(server.requests[0]?.query.get('count'))).toBeGreaterThan(3)
    expect(Number(server.requests[0]?.query.get('count'))).toBeLessThanOrEqual(20)
  })
})

describe('Tavily: documented max_results range', () => {
  it('clamps max_results to 20 when more hits are wanted', async () => {
    const server = await fake(startFakeTavily())
    const hits = await tavilyBackend({ apiKey: FAKE_TAVILY_KEY, baseUrl: server.url }).search('Shanghai population', {
      signal,
      limit: 25,
    })
    expect((server.requests[0]?.json as { max_results?: number }).max_results).toBe(TAVILY_MAX_RESULTS)
    expect(hits[0]?.snippet).toMatch(/^Answer: /)
  })
})

describe('Serper: answer box shapes', () => {
  it('uses an answer box that carries only snippetHighlighted', async () => {
    const server = await fake(startFakeSerper())
    const hits = await serperBackend({ apiKey: FAKE_SERPER_KEY, baseUrl: server.url }).search('highest mountain', { signal, limit: 3 })
    expect(hits[0]).toMatchObject({ snippet: 'Mount Everest 8,849 m', url: 'https://example.org/atlas/highest', source: 'serper' })
    expect(hits[1]?.url).toBe('https://example.org/wiki/Everest')
  })
})

describe('MediaWiki: errors in HTTP 200 answers', () => {
  it('names readapidenied from a private wiki instead of reporting no results', async () => {
    const server = await fake(startFakeMediaWiki({ private: true }))
    const backend = wikipediaBackend({ baseUrl: server.url })
    await expect(backend.search('highest mountain', { signal, limit: 3 })).rejects.toMatchObject({
      code: 'MOSS_ERR_SERVICE',
      message: expect.stringContaining('readapidenied') as unknown,
    })
    expect(server.requests).toHaveLength(1) // an API error is an answer, not a transient failure

    // The model and the user see the code through the plugin's error result.
    const plugin = search({ wikipedia: { baseUrl: server.url } })
    await expect(plugin.run('highest mountain')).rejects.toThrow(
      /Search failed: .*Wikipedia refused the request \(readapidenied\): This wiki lets only signed-in members read it\./,
    )
  })

  it('names the error of a request the wiki rejects', async () => {
    const server = await fake(startFakeMediaWiki())
    const backend = wikipediaBackend({ baseUrl: `${server.url}/w/api.php` })
    server.fail({
      kind: 'status',
      status: 200,
      headers: { 'mediawiki-api-error': 'badvalue' },
      body: JSON.stringify({ error: { code: 'badvalue', info: 'Unrecognized value for parameter "list": search.' } }),
    })
    await expect(backend.search('x', { signal, limit: 3 })).rejects.toThrow(/\(badvalue\): Unrecognized value/)
  })
})
