/**
 * The session API of `moss serve` over HTTP on 127.0.0.1 against the echo model: every route, SSE framing read
 * with eventsource-parser, images by id, abort by route and by disconnect, and a restart that finds the session.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import { echoAnswer } from '../../helpers/echo-model.js'
import { PNG, post, readSse, startTestServer, until } from './harness.js'
import type { SseMessage, TestServer } from './harness.js'

const servers: TestServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0).reverse()) await server.close()
})

async function start(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer(options)
  servers.push(server)
  return server
}

async function newSession(server: TestServer): Promise<string> {
  const response = await post(`${server.url}/v1/sessions`, {})
  expect(response.status).toBe(201)
  return ((await response.json()) as { id: string }).id
}

async function say(server: TestServer, id: string, text: string): Promise<SseMessage[]> {
  const response = await post(`${server.url}/v1/sessions/${id}/messages`, { text })
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toBe('text/event-stream')
  return readSse(response)
}

const finishOf = (messages: readonly SseMessage[]) => messages.find((m) => m.data.type === 'turn-finish')?.data

describe('moss serve: session API', () => {
  it('health, info and models describe the server', async () => {
    const server = await start({ model: 'echo model' })
    expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({ ok: true, running: 0 })
    const info = (await (await fetch(`${server.url}/v1/info`)).json()) as { model: string; format: string; plugins: { name: string; command: string }[]; services: string[] }
    expect(info.model).toBe('echo model')
    expect(info.format).toBe('moss')
    expect(info.plugins.map((p) => p.command)).toEqual(['Calculate', 'Text2Image', 'Search'])
    expect(info.services).toEqual([])
    const models = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: { id: string }[] }
    expect(models.data.map((m) => m.id)).toEqual(['echo model'])
  })

  it('info gives the service lines it was started with (moss serve passes the REPL banner\'s)', async () => {
    const services = ['search: SearxNG', 'images: Stable Diffusion server']
    const server = await start({ services })
    const info = (await (await fetch(`${server.url}/v1/info`)).json()) as { services: string[] }
    expect(info.services).toEqual(services)
  })

  it('creates a session, streams a turn as SSE (one JSON event per message, ids in order) and keeps the history', async () => {
    const server = await start()
    const id = await newSession(server)
    expect(await (await fetch(`${server.url}/v1/sessions/${id}`)).json()).toEqual({ id, turns: [] })
    const messages = await say(server, id, '你好，MOSS')
    expect(messages.map((m) => m.id)).toEqual(messages.map((_, i) => String(i)))
    expect(messages[0]?.data).toMatchObject({ type: 'turn-start', turn: 0, input: '你好，MOSS' })
    const streamed = messages.filter((m) => m.data.type === 'text-delta').map((m) => m.data.text).join('')
    expect(streamed.trim()).toBe(echoAnswer('你好，MOSS', 1))
    expect(finishOf(messages)).toMatchObject({ text: echoAnswer('你好，MOSS', 1), aborted: false })
    expect(messages.at(-1)?.data.type).toBe('turn-finish')
    const history = (await (await fetch(`${server.url}/v1/sessions/${id}`)).json()) as { turns: { human: string; answer: string }[] }
    expect(history.turns).toEqual([expect.objectContaining({ human: '你好，MOSS', answer: echoAnswer('你好，MOSS', 1), results: [] })])
  })

  it('streams tool calls and results (the calculator runs on the server)', async () => {
    const server = await start()
    const id = await newSession(server)
    const messages = await say(server, id, 'calc 23*47')
    expect(messages.find((m) => m.data.type === 'tool-call')?.data).toMatchObject({ name: 'Calculate', input: '23*47' })
    expect(messages.find((m) => m.data.type === 'tool-result')?.data).toMatchObject({ name: 'Calculate', output: '1081' })
    expect(finishOf(messages)).toMatchObject({ text: 'The result is 1081.' })
    const history = (await (await fetch(`${server.url}/v1/sessions/${id}`)).json()) as { turns: { results: unknown[] }[] }
    expect(history.turns[0]?.results).toEqual([expect.objectContaining({ command: 'Calculate', input: '23*47', ok: true, output: '1081' })])
  })

  it('serves generated images by id, never showing the server path', async () => {
    const server = await start()
    const id = await newSession(server)
    const messages = await say(server, id, 'draw a cat')
    const image = messages.find((m) => m.data.type === 'image')?.data as { id: string; url: string; mimeType: string }
    expect(image).toMatchObject({ url: `/v1/images/${image.id}`, mimeType: 'image/png' })
    expect(JSON.stringify(messages)).not.toContain(server.dir)
    const response = await fetch(`${server.url}${image.url}`)
    expect(response.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await response.arrayBuffer())).toEqual(PNG)
    const history = JSON.stringify(await (await fetch(`${server.url}/v1/sessions/${id}`)).json())
    expect(history).toContain(image.url)
    expect(history).not.toContain(server.dir)
    const missing = await fetch(`${server.url}/v1/images/${'0'.repeat(32)}`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { code: 'MOSS_ERR_NOT_FOUND' } })
  })

  it('POST /abort stops a running turn; the next turn works', async () => {
    const server = await start()
    const id = await newSession(server)
    const running = post(`${server.url}/v1/sessions/${id}/messages`, { text: 'hang please' })
    let started = false
    const reading = running.then((response) => readSse(response, () => (started = true)))
    await until(() => started)
    expect(await (await post(`${server.url}/v1/sessions/${id}/abort`, {})).json()).toEqual({ aborted: true })
    expect(finishOf(await reading)).toMatchObject({ aborted: true })
    expect(finishOf(await say(server, id, 'after abort'))).toMatchObject({ text: echoAnswer('after abort', 1) })
  })

  it('a client that disconnects aborts its turn; the session answers the next one', async () => {
    const server = await start()
    const id = await newSession(server)
    const controller = new AbortController()
    const response = await post(`${server.url}/v1/sessions/${id}/messages`, { text: 'hang until I leave' }, { signal: controller.signal })
    const reader = response.body?.getReader()
    await reader?.read() // the turn is running
    expect(server.host.stats.running).toBe(1)
    controller.abort()
    await until(() => server.host.stats.running === 0)
    const messages = await say(server, id, 'still there?')
    expect(finishOf(messages)).toMatchObject({ text: echoAnswer('still there?', 1), aborted: false })
  })

  it('messages to one session wait in order', async () => {
    const server = await start()
    const id = await newSession(server)
    const answers = await Promise.all(['slow first', 'second', 'third'].map(async (text) => finishOf(await say(server, id, text))?.text))
    expect(answers).toEqual([echoAnswer('slow first', 1), echoAnswer('second', 2), echoAnswer('third', 3)])
  })

  it('DELETE forgets a session; unknown sessions are 404 with a stable code', async () => {
    const server = await start()
    const id = await newSession(server)
    expect((await fetch(`${server.url}/v1/sessions/${id}`, { method: 'DELETE' })).status).toBe(204)
    for (const response of [
      await fetch(`${server.url}/v1/sessions/${id}`),
      await fetch(`${server.url}/v1/sessions/${id}`, { method: 'DELETE' }),
      await post(`${server.url}/v1/sessions/${id}/messages`, { text: 'hi' }),
      await post(`${server.url}/v1/sessions/${id}/abort`, {}),
    ]) {
      expect(response.status).toBe(404)
      expect(await response.json()).toMatchObject({ error: { code: 'MOSS_ERR_SESSION_NOT_FOUND' } })
    }
  })

  it('shutdown aborts a turn still running after the grace and keeps the sessions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'moss-serve-restart-'))
    onTestFinished(() => rm(dir, { recursive: true, force: true }))
    const first = await start({ shutdownGraceMs: 200, dir })
    const id = await newSession(first)
    expect(finishOf(await say(first, id, 'before the restart'))).toMatchObject({ text: echoAnswer('before the restart', 1) })
    const hung = post(`${first.url}/v1/sessions/${id}/messages`, { text: 'hang on' }).then((r) => readSse(r))
    await until(() => first.host.stats.running === 1)
    await first.close()
    expect(finishOf(await hung)).toMatchObject({ aborted: true })
    const second = await start({ dir })
    const history = (await (await fetch(`${second.url}/v1/sessions/${id}`)).json()) as { turns: { answer: string }[] }
    expect(history.turns.map((t) => t.answer)).toEqual([echoAnswer('before the restart', 1)])
    expect(finishOf(await say(second, id, 'back again'))).toMatchObject({ text: echoAnswer('back again', 2) })
  })
})
