/**
 * The plugins' HTTP client against a real HTTP server on 127.0.0.1: retries, the server's wait read from a
 * service's own header, the size bound and the deadline.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AbortedError, ServiceError } from '../../../src/errors.js'
import { requestServiceJson, type ServiceFailureResponse } from '../../../src/plugin-kit.js'

type Handler = (req: IncomingMessage, res: ServerResponse) => void
let server: Server
let url: string
let handlers: Handler[] = []
let seen = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    const handler = handlers[Math.min(seen, handlers.length - 1)]
    seen++
    handler?.(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

function serve(...next: Handler[]): void {
  handlers = next
  seen = 0
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
}
/** Brave's per-second and per-month windows: `X-RateLimit-Reset` lists the seconds until each resets. */
const rateLimited = json(429, { error: 'RATE_LIMITED' }, { 'x-ratelimit-reset': '0, 1419704' })
const braveReset = (response: ServiceFailureResponse): number | undefined => {
  const value = response.headers['x-ratelimit-reset']
  const first = Number(String(Array.isArray(value) ? value[0] : value).split(',')[0])
  return Number.isFinite(first) ? first * 1000 : undefined
}
const FAST = { attempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000, maxRetryAfterMs: 2000 }

describe('requestServiceJson', () => {
  it('takes the wait from a header the caller reads (a 0 s reset retries at once instead of backing off a minute)', async () => {
    serve(rateLimited, json(200, { ok: true }))
    const seenBy: number[] = []
    const body = await requestServiceJson({
      service: 'Brave',
      url,
      retry: FAST,
      timeoutMs: 10_000,
      retryAfter: (response) => {
        seenBy.push(response.status)
        return braveReset(response)
      },
    })
    expect(body).toEqual({ ok: true })
    expect(seen).toBe(2)
    expect(seenBy).toEqual([429])
  })

  it('gives up at once when the caller-read wait exceeds maxRetryAfterMs', async () => {
    serve(json(429, {}, { 'x-ratelimit-reset': '3600, 1419704' }), json(200, { ok: true }))
    await expect(requestServiceJson({ service: 'Brave', url, retry: FAST, retryAfter: braveReset })).rejects.toMatchObject({
      code: 'MOSS_ERR_SERVICE',
      status: 429,
    })
    expect(seen).toBe(1)
  })

  it('falls back to Retry-After when the hook has no answer', async () => {
    serve(json(503, {}, { 'retry-after': '0' }), json(200, [1]))
    expect(await requestServiceJson({ service: 'S', url, retry: FAST, retryAfter: () => undefined })).toEqual([1])
    expect(seen).toBe(2)
  })

  it('does not retry a 4xx and names the service and status', async () => {
    serve(json(401, { error: 'bad key' }), json(200, {}))
    const error = await requestServiceJson({ service: 'S', url, retry: FAST }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ServiceError)
    expect((error as Error).message).toContain('S answered HTTP 401')
    expect(seen).toBe(1)
  })

  it('rejects a body past maxBytes, declared or streamed', async () => {
    serve(json(200, 'x'.repeat(5000)))
    await expect(requestServiceJson({ service: 'S', url, maxBytes: 1000 })).rejects.toThrow(/larger than 1000 bytes/)
    serve((_req, res) => {
      // Chunked, no content-length: the bound is enforced while the body streams in.
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write(`"${'y'.repeat(2500)}`)
      res.end(`${'y'.repeat(2500)}"`)
    })
    await expect(requestServiceJson({ service: 'S', url, maxBytes: 1000 })).rejects.toThrow(/larger than 1000 bytes/)
  })

  it('a dropped connection is retried; the deadline and the caller abort are typed', async () => {
    serve((req) => req.socket.destroy(), json(200, 'back'))
    expect(await requestServiceJson({ service: 'S', url, retry: { ...FAST, baseDelayMs: 1, maxDelayMs: 1 } })).toBe('back')
    serve(() => undefined)
    await expect(requestServiceJson({ service: 'S', url, timeoutMs: 200 })).rejects.toThrow(/did not answer within 200 ms/)
    const controller = new AbortController()
    const pending = requestServiceJson({ service: 'S', url, signal: controller.signal })
    setTimeout(() => controller.abort(), 20)
    await expect(pending).rejects.toBeInstanceOf(AbortedError)
  })
})
