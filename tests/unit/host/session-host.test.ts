/**
 * The session host against the echo model (a ScriptedBackend whose answers name their question and turn): ids,
 * per-session order, the LRU of live sessions with resume from the store (KV state restored), abort, delete,
 * shutdown, images by id, and the shared event JSON.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAgent } from '../../../src/agent/index.js'
import type { AgentEvent } from '../../../src/agent/index.js'
import { HostClosedError, SessionNotFoundError } from '../../../src/errors.js'
import { createFileSessionStore, createSessionHost, eventToPlain } from '../../../src/host/index.js'
import type { SessionHost } from '../../../src/host/index.js'
import { definePlugin } from '../../../src/plugins/index.js'
import { createEchoModel, echoAnswer } from '../../helpers/echo-model.js'

let dir: string
const hosts: SessionHost[] = []

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moss-host-'))
})
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close({ graceMs: 0 })
  await rm(dir, { recursive: true, force: true })
})

function start(options: { maxLiveSessions?: number; idleMs?: number; plugins?: Parameters<typeof createAgent>[0]['plugins'] } = {}) {
  const model = createEchoModel()
  const agent = createAgent({ backend: model, plugins: options.plugins ?? [] })
  const host = createSessionHost({
    agent,
    store: createFileSessionStore(join(dir, 'store')),
    maxLiveSessions: options.maxLiveSessions ?? 2,
    ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}),
  })
  hosts.push(host)
  return { host, model, agent }
}

async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const out: AgentEvent[] = []
  for await (const event of events) out.push(event)
  return out
}

const answerOf = (events: readonly AgentEvent[]): string => {
  const finish = events.find((e) => e.type === 'turn-finish')
  return finish?.type === 'turn-finish' ? finish.text : ''
}

describe('session host', () => {
  it('creates sessions by id, answers in them and keeps their history', async () => {
    const { host } = start()
    const id = await host.create()
    expect(await host.has(id)).toBe(true)
    expect(await host.history(id)).toEqual([])
    expect(answerOf(await collect(host.send(id, 'hello')))).toBe(echoAnswer('hello', 1))
    expect(answerOf(await collect(host.send(id, '你好，世界')))).toBe(echoAnswer('你好，世界', 2))
    expect((await host.history(id)).map((t) => t.human)).toEqual(['hello', '你好，世界'])
  })

  it('refuses unknown ids unless asked to create them', async () => {
    const { host } = start()
    await expect(collect(host.send('nope', 'hi'))).rejects.toBeInstanceOf(SessionNotFoundError)
    await expect(host.history('nope')).rejects.toMatchObject({ code: 'MOSS_ERR_SESSION_NOT_FOUND' })
    expect(answerOf(await collect(host.send('C1:123.4', 'hi', { create: true })))).toBe(echoAnswer('hi', 1))
    expect(await host.has('C1:123.4')).toBe(true)
  })

  it('runs the turns of one session in arrival order, one at a time', async () => {
    const { host } = start()
    const id = await host.create()
    const answers = await Promise.all(['slow one', 'two', 'three'].map(async (q) => answerOf(await collect(host.send(id, q)))))
    expect(answers).toEqual([echoAnswer('slow one', 1), echoAnswer('two', 2), echoAnswer('three', 3)])
  })

  it('keeps at most maxLiveSessions open and resumes closed ones from the store with their KV state', async () => {
    const { host, model } = start({ maxLiveSessions: 2 })
    const ids = [await host.create(), await host.create(), await host.create()]
    for (const id of ids) await collect(host.send(id, `first in ${id}`))
    expect(host.stats.live).toBeLessThanOrEqual(2)
    const opened = model.scripted.sessions.length
    // The first session was closed to make room; it comes back from its file and state, and counts on.
    expect(answerOf(await collect(host.send(ids[0] ?? '', 'again')))).toBe(echoAnswer('again', 2))
    expect(model.scripted.sessions.length).toBe(opened + 1)
    expect(model.scripted.sessions.at(-1)?.restoredFromState).toBe(true)
    expect(host.stats.live).toBeLessThanOrEqual(2)
  })

  it('closes sessions left idle for idleMs; they come back from the store', async () => {
    const { host, model } = start({ idleMs: 1 })
    const id = await host.create()
    await collect(host.send(id, 'one'))
    expect(host.stats.live).toBe(1)
    while (host.stats.live > 0) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(model.scripted.sessions.at(-1)?.isDisposed).toBe(true)
    expect(answerOf(await collect(host.send(id, 'two')))).toBe(echoAnswer('two', 2))
  })

  it('a second host on the same store continues a conversation (restart)', async () => {
    const first = start()
    const id = await first.host.create()
    await collect(first.host.send(id, 'before restart'))
    await first.host.close()
    const second = start()
    expect((await second.host.history(id)).map((t) => t.answer)).toEqual([echoAnswer('before restart', 1)])
    expect(answerOf(await collect(second.host.send(id, 'after')))).toBe(echoAnswer('after', 2))
    expect(second.model.scripted.sessions.at(-1)?.restoredFromState).toBe(true)
  })

  it('abort(id) stops a running turn; the next turn of the session works', async () => {
    const { host } = start()
    const id = await host.create()
    const running = collect(host.send(id, 'hang on'))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(host.abort(id)).toBe(true)
    const events = await running
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: true })
    expect(host.abort(id)).toBe(false)
    expect(answerOf(await collect(host.send(id, 'next')))).toBe(echoAnswer('next', 1))
  })

  it('an aborted caller signal stops its turn', async () => {
    const { host } = start()
    const id = await host.create()
    const controller = new AbortController()
    const running = collect(host.send(id, 'hang', { signal: controller.signal }))
    setTimeout(() => controller.abort(), 30)
    expect((await running).at(-1)).toMatchObject({ type: 'turn-finish', aborted: true })
  })

  it('delete forgets a session, live or stored', async () => {
    const { host } = start()
    const id = await host.create()
    await collect(host.send(id, 'x'))
    expect(await host.delete(id)).toBe(true)
    expect(await host.has(id)).toBe(false)
    expect(await host.delete(id)).toBe(false)
    await expect(host.history(id)).rejects.toBeInstanceOf(SessionNotFoundError)
  })

  it('close lets running turns finish within the grace and then takes no new turns', async () => {
    const { host } = start()
    const id = await host.create()
    const slow = collect(host.send(id, 'slow but finishes'))
    await new Promise((resolve) => setTimeout(resolve, 30))
    await host.close({ graceMs: 60_000 })
    expect((await slow).at(-1)).toMatchObject({ type: 'turn-finish', text: echoAnswer('slow but finishes', 1), aborted: false })
    expect(host.stats.live).toBe(0)
    await expect(collect(host.send(id, 'more'))).rejects.toBeInstanceOf(HostClosedError)
    await expect(host.create()).rejects.toBeInstanceOf(HostClosedError)
  })

  it('close aborts turns still running after the grace', async () => {
    const { host } = start()
    const hung = collect(host.send(await host.create(), 'hang forever'))
    await new Promise((resolve) => setTimeout(resolve, 30))
    await host.close({ graceMs: 50 })
    expect((await hung).at(-1)).toMatchObject({ type: 'turn-finish', aborted: true })
  })

  it('registers generated images by id and serialises events with the id instead of the path', async () => {
    const imagePath = join(dir, 'cat.png')
    await writeFile(imagePath, Buffer.from('89504e470d0a1a0a', 'hex'))
    const painter = definePlugin({
      name: 'painter',
      command: 'Text2Image',
      description: 'Draws.',
      run: () => ({ text: 'Image generated successfully.', images: [{ path: imagePath, mimeType: 'image/png' }] }),
    })
    const { host } = start({ plugins: [painter] })
    const id = await host.create()
    const events = await collect(host.send(id, 'draw a cat'))
    const image = events.find((e) => e.type === 'image')
    expect(image).toMatchObject({ path: imagePath })
    const imageId = host.imageId({ path: imagePath, mimeType: 'image/png' })
    expect(host.image(imageId)).toEqual({ path: imagePath, mimeType: 'image/png' })
    expect(host.image('0'.repeat(32))).toBeUndefined()
    const plain = eventToPlain(image as AgentEvent, { imageRef: (img) => ({ id: host.imageId(img) }) })
    expect(plain).toEqual({ type: 'image', id: imageId })
    expect(JSON.stringify(plain)).not.toContain(dir)
  })
})
