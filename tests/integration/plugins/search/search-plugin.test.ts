import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PluginError, requestService } from '../../../../src/index.js'
import { search, searxngBackend } from '../../../../plugins/search/index.js'
import { startFakeBrave, FAKE_BRAVE_KEY } from '../../../fakes/search/brave.js'
import { startFakeMediaWiki } from '../../../fakes/search/mediawiki.js'
import { startFakeSearxng } from '../../../fakes/search/searxng.js'
import { startFakeSerper, FAKE_SERPER_KEY } from '../../../fakes/search/serper.js'
import type { FakeServer } from '../../../fakes/search/fake-server.js'

/** Fast retries so fault tests stay quick; the delays themselves are unit-tested. */
const FAST_RETRY = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2000 }

let searxng: FakeServer
let brave: FakeServer
let serper: FakeServer
let wiki: FakeServer
beforeAll(async () => {
  ;[searxng, brave, serper, wiki] = await Promise.all([startFakeSearxng(), startFakeBrave(), startFakeSerper(), startFakeMediaWiki()])
})
afterAll(async () => {
  await Promise.all([searxng, brave, serper, wiki].map((server) => server.close()))
})

function fresh(server: FakeServer): FakeServer {
  server.reset()
  return server
}

describe('Search plugin', () => {
  it('returns the top 3 snippets as a JSON array', async () => {
    fresh(brave)
    const plugin = search({ brave: { apiKey: FAKE_BRAVE_KEY, baseUrl: brave.url } })
    const output = await plugin.run('Shanghai population programming language highest mountain')
    const snippets = JSON.parse(output.text) as string[]
    expect(snippets).toHaveLength(3)
    expect(snippets.every((snippet) => typeof snippet === 'string' && !snippet.includes('<'))).toBe(true)
  })

  it('uses the first configured web backend by default and leaves Wikipedia alone', async () => {
    fresh(serper)
    fresh(wiki)
    const plugin = search({ serper: { apiKey: FAKE_SERPER_KEY, baseUrl: serper.url }, wikipedia: { baseUrl: wiki.url } })
    await plugin.run('Shanghai population')
    expect(serper.requests).toHaveLength(1)
    expect(wiki.requests).toHaveLength(0)
  })

  it('combines backends, interleaving by rank and removing duplicate URLs and snippets', async () => {
    const plugin = search({
      backends: ['serper', 'searxng'],
      serper: { apiKey: FAKE_SERPER_KEY, baseUrl: serper.url },
      searxng: { baseUrl: searxng.url },
    })
    const output = await plugin.run('Shanghai population')
    // Serper: answer box, Shanghai page. SearxNG: Shanghai page (same URL), … → the duplicate goes.
    const snippets = JSON.parse(output.text) as string[]
    expect(snippets[0]).toBe('24.87 million (2020)')
    expect(snippets.filter((snippet) => snippet.startsWith('Shanghai is a direct-administered'))).toHaveLength(1)
    expect(new Set(snippets).size).toBe(snippets.length)
  })

  it('still answers when one of several backends fails, and logs the failure', async () => {
    const broken = await startFakeSearxng({ jsonEnabled: false })
    const warnings: string[] = []
    const log = { debug() {}, info() {}, error() {}, warn: (message: string, data?: Record<string, unknown>) => warnings.push(`${message} ${String(data?.error)}`) }
    try {
      const plugin = search({ backends: ['searxng', 'wikipedia'], searxng: { baseUrl: broken.url }, wikipedia: { baseUrl: wiki.url } })
      const output = await plugin.run('highest mountain', { log })
      expect(JSON.parse(output.text)).toEqual(["Mount Everest: Mount Everest is Earth's highest mountain above sea level, at 8,849 metres."])
      expect(warnings[0]).toContain('settings.yml')
    } finally {
      await broken.close()
    }
  })

  it('turns a failure of the only backend into a PluginError the model can read', async () => {
    const broken = await startFakeSearxng({ jsonEnabled: false })
    try {
      const error = await search({ searxng: { baseUrl: broken.url } }).run('x').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(PluginError)
      expect((error as PluginError).message).toMatch(/^Search failed: SearxNG refused JSON output.*settings\.yml/)
    } finally {
      await broken.close()
    }
  })

  it('rejects an empty query', async () => {
    await expect(search({ wikipedia: { baseUrl: wiki.url } }).run('  ')).rejects.toThrow('Search needs a non-empty query.')
  })
})

describe('retries and timeouts', () => {
  it('retries 429 (honouring Retry-After) and 5xx, then succeeds', async () => {
    fresh(searxng).fail(
      { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
      { kind: 'status', status: 503 },
    )
    const hits = await searxngBackend({ baseUrl: searxng.url, retry: FAST_RETRY }).search('everest', {
      signal: new AbortController().signal,
      limit: 3,
    })
    expect(searxng.requests).toHaveLength(3)
    expect(hits[0]?.snippet).toContain('8,849')
  })

  it('stops after the configured number of attempts', async () => {
    fresh(searxng).fail(...Array.from({ length: 5 }, () => ({ kind: 'status' as const, status: 500 })))
    const plugin = search({ searxng: { baseUrl: searxng.url, retry: FAST_RETRY } })
    await expect(plugin.run('everest')).rejects.toThrow(/^Search failed: SearxNG answered HTTP 500/)
    expect(searxng.requests).toHaveLength(3)
  })

  it('does not wait for a Retry-After beyond the cap', async () => {
    fresh(searxng).fail({ kind: 'status', status: 429, headers: { 'retry-after': '3600' } })
    await expect(search({ searxng: { baseUrl: searxng.url, retry: FAST_RETRY } }).run('everest')).rejects.toThrow(/HTTP 429/)
    expect(searxng.requests).toHaveLength(1)
  })

  it('times out a hanging server with a clear message', async () => {
    fresh(searxng).fail({ kind: 'hang' })
    const plugin = search({ searxng: { baseUrl: searxng.url, timeoutMs: 300, retry: FAST_RETRY } })
    await expect(plugin.run('everest')).rejects.toThrow('Search failed: SearxNG did not answer within 300 ms')
  })

  it('stops when the turn is aborted', async () => {
    fresh(searxng).fail({ kind: 'hang' })
    const controller = new AbortController()
    const pending = search({ searxng: { baseUrl: searxng.url } }).run('everest', { signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    await expect(pending).rejects.toMatchObject({ code: 'MOSS_ERR_ABORTED' })
  })

  it('reports invalid JSON, and retries a truncated body', async () => {
    fresh(searxng).fail({ kind: 'invalid-json' })
    await expect(search({ searxng: { baseUrl: searxng.url, retry: FAST_RETRY } }).run('everest')).rejects.toThrow(
      /SearxNG sent a response that is not valid JSON/,
    )
    fresh(searxng).fail({ kind: 'truncated' })
    const output = await search({ searxng: { baseUrl: searxng.url, retry: FAST_RETRY } }).run('everest')
    expect(JSON.parse(output.text)[0]).toContain('8,849')
    expect(searxng.requests).toHaveLength(2)
  })

  it('cuts off an oversized body while it streams', async () => {
    fresh(searxng).fail({ kind: 'oversized', bytes: 2 * 1024 * 1024 })
    await expect(
      requestService({ service: 'Fake', url: `${searxng.url}/search`, maxBytes: 64 * 1024, retry: { attempts: 1 } }),
    ).rejects.toThrow('Fake sent a response larger than 65536 bytes')
  })
})
