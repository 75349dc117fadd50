import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  braveBackend,
  searxngBackend,
  serperBackend,
  tavilyBackend,
  wikipediaBackend,
} from '../../../../plugins/search/index.js'
import { startFakeBrave, FAKE_BRAVE_KEY } from '../../../fakes/search/brave.js'
import { startFakeMediaWiki } from '../../../fakes/search/mediawiki.js'
import { startFakeSearxng } from '../../../fakes/search/searxng.js'
import { startFakeSerper, FAKE_SERPER_KEY } from '../../../fakes/search/serper.js'
import { startFakeTavily, FAKE_TAVILY_KEY } from '../../../fakes/search/tavily.js'
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

describe('SearxNG backend', () => {
  let server: FakeServer
  beforeAll(async () => {
    server = await fake(startFakeSearxng({ answers: [{ answer: 'Shanghai: <b>24.87</b> million', url: 'https://example.org/a' }] }))
  })

  it('sends GET /search?q=…&format=json and puts direct answers first', async () => {
    const hits = await searxngBackend({ baseUrl: server.url, language: 'zh-CN' }).search('python design', { signal, limit: 3 })
    const request = server.requests.at(-1)
    expect(request?.method).toBe('GET')
    expect(request?.path).toBe('/search')
    expect(request?.query.get('q')).toBe('python design')
    expect(request?.query.get('format')).toBe('json')
    expect(request?.query.get('language')).toBe('zh-CN')
    expect(request?.headers['user-agent']).toMatch(/moss-agent/)
    expect(hits.map((hit) => hit.snippet)).toEqual([
      'Shanghai: 24.87 million',
      'Python is a high-level, general-purpose programming language & its design emphasises "readability".',
    ])
    expect(hits[1]?.url).toBe('https://example.org/wiki/Python')
  })

  it('explains how to enable JSON when the instance answers 403', async () => {
    const disabled = await fake(startFakeSearxng({ jsonEnabled: false }))
    await expect(searxngBackend({ baseUrl: disabled.url }).search('x', { signal, limit: 3 })).rejects.toMatchObject({
      code: 'MOSS_ERR_SERVICE',
      status: 403,
      message: expect.stringContaining('settings.yml') as unknown,
    })
    expect(disabled.requests).toHaveLength(1) // 403 is not retried
  })
})

describe('Brave backend', () => {
  it('sends the subscription token and count, strips <strong>, appends extra snippets', async () => {
    const server = await fake(startFakeBrave())
    const hits = await braveBackend({ apiKey: FAKE_BRAVE_KEY, baseUrl: server.url }).search('mount everest', { signal, limit: 3 })
    const request = server.requests[0]
    expect(request?.path).toBe('/res/v1/web/search')
    expect(request?.headers['x-subscription-token']).toBe(FAKE_BRAVE_KEY)
    expect(request?.query.get('q')).toBe('mount everest')
    expect(request?.query.get('count')).toBe('6') // 3 wanted + 3 spare for results without a description
    expect(hits[0]?.snippet).toBe("Mount Everest is Earth's highest mountain above sea level, at 8,849 metres. More about Mount Everest.")
  })

  it('reports a rejected key without retrying', async () => {
    const server = await fake(startFakeBrave())
    await expect(braveBackend({ apiKey: 'wrong', baseUrl: server.url }).search('x', { signal, limit: 3 })).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining('Brave answered HTTP 401') as unknown,
    })
    expect(server.requests).toHaveLength(1)
  })
})

describe('Tavily backend', () => {
  it('POSTs the query with a Bearer key and returns the answer first', async () => {
    const server = await fake(startFakeTavily())
    const hits = await tavilyBackend({ apiKey: FAKE_TAVILY_KEY, baseUrl: server.url }).search('Shanghai population', { signal, limit: 3 })
    const request = server.requests[0]
    expect(request?.method).toBe('POST')
    expect(request?.path).toBe('/search')
    expect(request?.headers.authorization).toBe(`Bearer ${FAKE_TAVILY_KEY}`)
    expect(request?.headers['content-type']).toBe('application/json')
    expect(request?.json).toEqual({ query: 'Shanghai population', max_results: 3, search_depth: 'basic', include_answer: true })
    expect(hits[0]?.snippet).toMatch(/^Answer: Shanghai is a direct-administered municipality/)
    expect(hits[1]?.url).toBe('https://example.org/wiki/Shanghai')
  })
})

describe('Serper backend', () => {
  it('POSTs {q, num} with X-API-KEY and returns the answer box as-is first', async () => {
    const server = await fake(startFakeSerper())
    const hits = await serperBackend({ apiKey: FAKE_SERPER_KEY, baseUrl: server.url, hl: 'zh-cn' }).search('Shanghai population', {
      signal,
      limit: 3,
    })
    const request = server.requests[0]
    expect(request?.method).toBe('POST')
    expect(request?.headers['x-api-key']).toBe(FAKE_SERPER_KEY)
    expect(request?.json).toEqual({ q: 'Shanghai population', num: 10, hl: 'zh-cn' })
    expect(hits[0]).toMatchObject({ snippet: '24.87 million (2020)', url: 'https://example.org/answer', source: 'serper' })
    expect(hits[1]?.snippet).toContain('24.87 million in 2020')
  })
})

describe('MediaWiki backend', () => {
  it('queries list=search, strips searchmatch spans and leads with the title', async () => {
    const server = await fake(startFakeMediaWiki())
    const backend = wikipediaBackend({ baseUrl: server.url, userAgent: 'moss-agent-tests/1.0 (test@example.org)' })
    const hits = await backend.search('highest mountain', { signal, limit: 3 })
    const request = server.requests[0]
    expect(request?.path).toBe('/w/api.php')
    expect(Object.fromEntries(request?.query ?? [])).toMatchObject({
      action: 'query',
      list: 'search',
      srsearch: 'highest mountain',
      format: 'json',
      formatversion: '2',
    })
    expect(request?.headers['user-agent']).toBe('moss-agent-tests/1.0 (test@example.org)')
    expect(hits[0]?.snippet).toBe("Mount Everest: Mount Everest is Earth's highest mountain above sea level, at 8,849 metres.")
    expect(hits[0]?.url).toBe(`${server.url}/wiki/Mount_Everest`)
  })

  it('finds Chinese articles with a Chinese query', async () => {
    const server = await fake(startFakeMediaWiki())
    const hits = await wikipediaBackend({ baseUrl: `${server.url}/w/api.php` }).search('上海人口', { signal, limit: 3 })
    expect(hits[0]?.snippet).toBe('上海市: 上海市是中华人民共和国直辖市，2020年第七次人口普查常住人口为2487万人。')
    expect(server.requests[0]?.query.get('srsearch')).toBe('上海人口')
  })
})
