/**
 * How `moss serve` refuses requests: bad JSON, wrong types, oversized bodies, missing or wrong tokens, too many
 * streams from one client, unknown routes, CORS, and a public address without a token. Every refusal is a 4xx
 * with a JSON body `{ error: { code, message } }` carrying a stable code.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError } from '../../../src/errors.js'
import { post, readSse, startTestServer, until } from './harness.js'
import type { TestServer } from './harness.js'

const servers: TestServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})

async function start(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer(options)
  servers.push(server)
  return server
}

async function expectError(response: Response, status: number, code: string, message?: RegExp): Promise<void> {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  const body = (await response.json()) as { error: { code: string; message: string } }
  expect(body.error.code).toBe(code)
  if (message) expect(body.error.message).toMatch(message)
}

describe('moss serve: refusals', () => {
  it('bad JSON, wrong types and unknown fields are 400 MOSS_ERR_BAD_REQUEST naming the problem', async () => {
    const server = await start()
    const { id } = (await (await post(`${server.url}/v1/sessions`, {})).json()) as { id: string }
    const url = `${server.url}/v1/sessions/${id}/messages`
    await expectError(await post(url, '{"text": "unterminated'), 400, 'MOSS_ERR_BAD_REQUEST', /not valid JSON/)
    await expectError(await post(url, { text: 5 }), 400, 'MOSS_ERR_BAD_REQUEST', /\/text must be string/)
    await expectError(await post(url, { text: '' }), 400, 'MOSS_ERR_BAD_REQUEST', /\/text/)
    await expectError(await post(url, {}), 400, 'MOSS_ERR_BAD_REQUEST', /text/)
    await expectError(await post(url, ['hi']), 400, 'MOSS_ERR_BAD_REQUEST', /must be object/)
    await expectError(await post(url, { text: 'hi', extra: 1 }), 400, 'MOSS_ERR_BAD_REQUEST', /additional properties/)
    const chat = `${server.url}/v1/chat/completions`
    await expectError(await post(chat, { messages: 'hi' }), 400, 'MOSS_ERR_BAD_REQUEST', /\/messages must be array/)
    await expectError(await post(chat, { messages: [{ role: 'system', content: 'x' }] }), 400, 'MOSS_ERR_BAD_REQUEST', /no "user" message/)
    await expectError(await post(chat, { messages: [{ role: 'user', content: 3 }] }), 400, 'MOSS_ERR_BAD_REQUEST')
  })

  it('an oversized body is 413 MOSS_ERR_PAYLOAD_TOO_LARGE, and the session is unharmed', async () => {
    const server = await start({ maxBodyBytes: 4096 })
    const { id } = (await (await post(`${server.url}/v1/sessions`, {})).json()) as { id: string }
    await expectError(await post(`${server.url}/v1/sessions/${id}/messages`, { text: '大'.repeat(5000) }), 413, 'MOSS_ERR_PAYLOAD_TOO_LARGE')
    await expectError(await post(`${server.url}/v1/chat/completions`, { messages: [{ role: 'user', content: 'x'.repeat(5000) }] }), 413, 'MOSS_ERR_PAYLOAD_TOO_LARGE')
    expect(await (await fetch(`${server.url}/v1/sessions/${id}`)).json()).toEqual({ id, turns: [] })
  })

  it('with a token, /v1/* needs it (401 MOSS_ERR_UNAUTHORIZED); health and the page stay open', async () => {
    const server = await start({ token: 's3cret' })
    await expectError(await post(`${server.url}/v1/sessions`, {}), 401, 'MOSS_ERR_UNAUTHORIZED', /needs a bearer token/)
    await expectError(await post(`${server.url}/v1/sessions`, {}, { headers: { authorization: 'Bearer wrong' } }), 401, 'MOSS_ERR_UNAUTHORIZED', /wrong/)
    await expectError(await fetch(`${server.url}/v1/info`, { headers: { authorization: 'Basic czNjcmV0' } }), 400, 'MOSS_ERR_UNAUTHORIZED', /not "Bearer/)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    const created = await post(`${server.url}/v1/sessions`, {}, { headers: { authorization: 'Bearer s3cret' } })
    expect(created.status).toBe(201)
  })

  it('refuses a public address without a token', async () => {
    await expect(startTestServer({ hostname: '0.0.0.0' })).rejects.toBeInstanceOf(ConfigError)
  })

  it('a client over its concurrency limit gets 429 with Retry-After; a slot frees when its stream ends', async () => {
    const server = await start({ maxConcurrentPerClient: 1 })
    const ids = await Promise.all([0, 1].map(async () => ((await (await post(`${server.url}/v1/sessions`, {})).json()) as { id: string }).id))
    const hung = post(`${server.url}/v1/sessions/${ids[0]}/messages`, { text: 'hang' }).then((r) => readSse(r))
    await until(() => server.host.stats.running === 1)
    const refused = await post(`${server.url}/v1/sessions/${ids[1]}/messages`, { text: 'me too' })
    expect(refused.headers.get('retry-after')).toBe('1')
    await expectError(refused, 429, 'MOSS_ERR_TOO_MANY_REQUESTS')
    await expectError(await post(`${server.url}/v1/chat/completions`, { messages: [{ role: 'user', content: 'hi' }] }), 429, 'MOSS_ERR_TOO_MANY_REQUESTS')
    await post(`${server.url}/v1/sessions/${ids[0]}/abort`, {})
    await hung
    const accepted = await post(`${server.url}/v1/sessions/${ids[1]}/messages`, { text: 'now' })
    expect(accepted.status).toBe(200)
    await readSse(accepted)
  })

  it('unknown routes are 404 MOSS_ERR_NOT_FOUND', async () => {
    const server = await start()
    await expectError(await fetch(`${server.url}/v1/nothing`), 404, 'MOSS_ERR_NOT_FOUND')
    await expectError(await fetch(`${server.url}/v1/sessions`, { method: 'PUT' }), 404, 'MOSS_ERR_NOT_FOUND')
  })

  it('CORS is off unless origins are configured', async () => {
    const closed = await start()
    const plain = await fetch(`${closed.url}/v1/info`, { headers: { origin: 'https://example.org' } })
    expect(plain.headers.get('access-control-allow-origin')).toBeNull()
    const open = await start({ corsOrigins: ['https://example.org'] })
    const allowed = await fetch(`${open.url}/v1/info`, { headers: { origin: 'https://example.org' } })
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://example.org')
    const other = await fetch(`${open.url}/v1/info`, { headers: { origin: 'https://evil.example' } })
    expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example')
  })
})
