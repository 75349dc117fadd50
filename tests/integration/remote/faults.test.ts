/**
 * Both remote clients against the completions stand-in: normal streaming, client-side stops, and every injected
 * fault. After each failure the same session must still work.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { RemoteHttpError } from '../../../src/backends/remote/index.js'
import type { ModelBackend } from '../../../src/backends/types.js'
import { MossError } from '../../../src/errors.js'
import type { CompletionsServer, FakeReply } from '../../fakes/completions-server.js'
import { splitIntoPieces, startCompletionsServer } from '../../fakes/completions-server.js'
import { BACKENDS, FAST_RETRY, collect, failure } from './remote-helpers.js'

const STOPS = ['<eoc>', '<eom>', '<eot>', '<eor>']
const OK: FakeReply = { kind: 'stream', pieces: ['fine', '<e', 'om>'] }

describe.each(BACKENDS)('%s', (_name, create) => {
  let server: CompletionsServer
  let backend: ModelBackend

  beforeAll(async () => {
    server = await startCompletionsServer()
  })
  afterAll(async () => {
    await server.close()
  })
  afterEach(async () => {
    await backend.dispose()
    server.requests.length = 0
  })

  /** Script: reply `replies[i]` to the i-th request of this test, then OK. */
  function script(...replies: FakeReply[]): void {
    const offset = server.requests.length
    server.setHandler((_request, index) => replies[index - offset] ?? OK)
  }

  it('replays the transcript, applies stops client-side and keeps the marker in the transcript', async () => {
    backend = create(server.url, { retry: FAST_RETRY, sampling: { seed: 7 }, apiKey: 'sk-test' })
    script({ kind: 'stream', pieces: splitIntoPieces('我想一想<eot>\n<|Commands|>: never shown'), finishReason: 'length' }, OK)
    const session = await backend.open()
    await session.append([
      { text: '<|Human|>: ', trusted: true },
      { text: '你好', trusted: false },
      { text: '<eoh>\n<|Inner Thoughts|>:', trusted: true },
    ])
    const first = await collect(session, { stop: STOPS, maxTokens: 64 })
    expect(first.text).toBe('我想一想')
    expect(first.outcome).toMatchObject({ reason: 'stop', stop: '<eot>' })
    for (const piece of first.pieces) expect(piece).not.toMatch(/<[a-z]*$/)
    await session.append([{ text: '\n<|MOSS|>:', trusted: true }])
    const second = await collect(session, { stop: ['<eom>'] })
    expect(second.text).toBe('fine')

    const [a, b] = server.requests
    expect(a?.body.prompt).toBe('<|Human|>: 你好<eoh>\n<|Inner Thoughts|>:')
    expect(a?.body).toMatchObject({ max_tokens: 64, stream: true, stop: STOPS, temperature: 0.7, top_p: 0.8, seed: 7 })
    expect(a?.headers.authorization).toBe('Bearer sk-test')
    expect(b?.body.prompt).toBe('<|Human|>: 你好<eoh>\n<|Inner Thoughts|>:我想一想<eot>\n<|MOSS|>:')
    expect(b?.body.max_tokens).toBe(512)
    expect(session.stats.generated).toBeGreaterThan(0)
    // The second request re-sent the first prompt, which the server had cached: it counts as reused.
    expect(session.stats.reused).toBeGreaterThan(0)
  })

  it('takes a single stop marker the server cut itself, and reports max-tokens', async () => {
    backend = create(server.url)
    script(
      { kind: 'stream', pieces: ['答', '案<e', 'om>junk'], honourStop: true },
      { kind: 'stream', pieces: ['x', 'y'], finishReason: 'length' },
    )
    const session = await backend.open()
    const stopped = await collect(session, { stop: ['<eom>'] })
    expect(stopped).toMatchObject({ text: '答案', outcome: { reason: 'stop', stop: '<eom>' } })
    const limited = await collect(session, { stop: ['<eom>'], maxTokens: 2 })
    expect(limited).toMatchObject({ text: 'xy', outcome: { reason: 'max-tokens', tokens: 2 } })
  })

  it('slow first byte: a first-token deadline gives a typed timeout; the session still works', async () => {
    backend = create(server.url, { firstTokenTimeoutMs: 150 })
    script({ kind: 'stream', pieces: ['late'], firstByteDelayMs: 1500 })
    const session = await backend.open()
    const { error } = await failure(session, { stop: STOPS })
    expect(MossError.isInstance(error) && error.code).toBe('MOSS_ERR_BACKEND_TIMEOUT')
    expect((await collect(session, { stop: STOPS })).text).toBe('fine')
  })

  it('slow first byte within the deadline is simply waited for', async () => {
    backend = create(server.url, { firstTokenTimeoutMs: 5000 })
    script({ kind: 'stream', pieces: ['late', '<eom>'], firstByteDelayMs: 300 })
    const session = await backend.open()
    expect((await collect(session, { stop: STOPS })).text).toBe('late')
  })

  it('503 then success: retried with backoff before the first token', async () => {
    backend = create(server.url, { retry: FAST_RETRY })
    script({ kind: 'status', status: 503 }, { kind: 'status', status: 503 }, OK)
    const session = await backend.open()
    expect((await collect(session, { stop: STOPS })).text).toBe('fine')
    expect(server.requests).toHaveLength(3)
  })

  it('429 with Retry-After is honoured; a Retry-After beyond the cap fails at once', async () => {
    backend = create(server.url, { retry: { ...FAST_RETRY, maxRetryAfterMs: 5000 } })
    script({ kind: 'status', status: 429, headers: { 'retry-after': '1' } }, OK)
    const session = await backend.open()
    const started = Date.now()
    expect((await collect(session, { stop: STOPS })).text).toBe('fine')
    // Correctness, not speed: the retry must not come before the delay the server asked for.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(server.requests).toHaveLength(2)

    script({ kind: 'status', status: 429, headers: { 'retry-after': '120' } })
    const { error } = await failure(session, { stop: STOPS })
    expect(error).toBeInstanceOf(RemoteHttpError)
    expect(error).toMatchObject({ status: 429, reason: 'rate-limited', retryAfterMs: 120_000 })
    expect(server.requests).toHaveLength(3)
  })

  it('503 every time: gives up after the bounded retries', async () => {
    backend = create(server.url, { retry: FAST_RETRY })
    server.setHandler(() => ({ kind: 'status', status: 503, body: '{"error":"Model is loading"}' }))
    const session = await backend.open()
    const { error } = await failure(session, { stop: STOPS })
    expect(error).toMatchObject({ status: 503, reason: 'unavailable', code: 'MOSS_ERR_BACKEND_HTTP' })
    expect((error as Error).message).toContain('Model is loading')
    expect(server.requests).toHaveLength(1 + FAST_RETRY.maxRetries)
  })

  it('disconnect mid-stream: typed error, no retry, streamed text kept; the session still works', async () => {
    backend = create(server.url, { retry: FAST_RETRY })
    script({ kind: 'stream', pieces: ['one ', 'two ', 'three '], disconnectAfter: 2, pieceDelayMs: 20 }, OK)
    const session = await backend.open()
    await session.append([{ text: 'P:', trusted: true }])
    const { error, pieces } = await failure(session, { stop: STOPS })
    expect(error).toMatchObject({ reason: 'disconnected', status: 0 })
    expect(pieces.join('')).toBe('one two ')
    expect(server.requests).toHaveLength(1)
    expect((await collect(session, { stop: STOPS })).text).toBe('fine')
    expect(server.requests[1]?.body.prompt).toBe('P:one two ')
  })

  it('a stream that ends without [DONE] or a finish reason is a disconnect', async () => {
    backend = create(server.url)
    script({ kind: 'stream', pieces: ['cut'], finishReason: null, done: false })
    const session = await backend.open()
    expect((await failure(session, { stop: STOPS })).error).toMatchObject({ reason: 'disconnected' })
  })

  it('malformed SSE line: typed error', async () => {
    backend = create(server.url)
    script({ kind: 'stream', pieces: ['a', 'b'], injectAfter: { pieces: 1, raw: 'this is not sse\n\n' } })
    const session = await backend.open()
    const { error } = await failure(session, { stop: STOPS })
    expect(error).toMatchObject({ reason: 'malformed-stream', code: 'MOSS_ERR_BACKEND_HTTP' })
    expect((await collect(session, { stop: STOPS })).text).toBe('fine')
  })

  it('invalid JSON in an event, and a non-streamed body that is not JSON: typed errors', async () => {
    backend = create(server.url)
    script(
      { kind: 'stream', pieces: ['a'], injectAfter: { pieces: 0, raw: 'data: {"choices": [\n\n' } },
      { kind: 'raw', contentType: 'application/json', body: '{"choices": oops' },
    )
    const session = await backend.open()
    expect((await failure(session, { stop: STOPS })).error).toMatchObject({ reason: 'invalid-json' })
    expect((await failure(session, { stop: STOPS })).error).toMatchObject({ reason: 'invalid-json' })
  })

  it('a server that ignores stream: true and answers with JSON still works', async () => {
    backend = create(server.url)
    script({
      kind: 'raw',
      contentType: 'application/json',
      body: JSON.stringify({ choices: [{ text: '整段<eom>', finish_reason: 'stop' }], usage: { completion_tokens: 3 } }),
    })
    const session = await backend.open()
    expect(await collect(session, { stop: ['<eom>'] })).toMatchObject({ text: '整段', outcome: { reason: 'stop', tokens: 3 } })
  })

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not-found'],
    [500, 'server'],
    [502, 'server'],
  ] as const)('HTTP %i: typed error %s, not retried', async (status, reason) => {
    backend = create(server.url, { retry: FAST_RETRY })
    script({ kind: 'status', status, body: JSON.stringify({ error: { message: `nope ${status}` } }) })
    const session = await backend.open()
    const { error } = await failure(session, { stop: STOPS })
    expect(error).toBeInstanceOf(RemoteHttpError)
    expect(error).toMatchObject({ status, reason })
    expect((error as Error).message).toContain(`nope ${status}`)
    expect(server.requests).toHaveLength(1)
  })

  it('a prompt that is too long becomes a context-overflow error', async () => {
    backend = create(server.url)
    script({ kind: 'status', status: 400, body: JSON.stringify({ error: "This model's maximum context length is 2048 tokens" }) })
    const session = await backend.open()
    expect((await failure(session, { stop: STOPS })).error).toMatchObject({ code: 'MOSS_ERR_CONTEXT_OVERFLOW' })
  })

  it('connection refused: typed error, status 0', async () => {
    const closed = await startCompletionsServer()
    const url = closed.url
    await closed.close()
    backend = create(url, { retry: FAST_RETRY })
    const session = await backend.open()
    expect((await failure(session, { stop: STOPS })).error).toMatchObject({ reason: 'connection', status: 0 })
  })

  it('the caller aborting mid-stream ends the generation quietly and closes the HTTP stream', async () => {
    backend = create(server.url)
    script({ kind: 'stream', pieces: Array.from({ length: 200 }, (_, index) => `${index} `), pieceDelayMs: 10 })
    const session = await backend.open()
    const controller = new AbortController()
    const pieces: string[] = []
    const generator = session.generate({ stop: STOPS, signal: controller.signal })
    let step = await generator.next()
    while (step.done !== true) {
      pieces.push(step.value)
      if (pieces.length === 3) controller.abort()
      step = await generator.next()
    }
    expect(step.value.reason).toBe('aborted')
    await expect.poll(() => server.clientAborts).toBeGreaterThan(0)
    await session.append([{ text: '|', trusted: true }])
    expect((await collect(session, { stop: STOPS })).text).toBe('fine')
    expect(server.requests.at(-1)?.body.prompt).toBe(`${pieces.join('')}|`)
  })
})
