/**
 * A `moss serve` server on 127.0.0.1 (port 0) over the echo model, and an SSE reader built on eventsource-parser,
 * for the server tests.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createParser } from 'eventsource-parser'
import { calculator } from '../../../plugins/index.js'
import { createAgent } from '../../../src/agent/index.js'
import type { AgentOptions } from '../../../src/agent/index.js'
import { createFileSessionStore, createSessionHost } from '../../../src/host/index.js'
import type { SessionHost } from '../../../src/host/index.js'
import { formatSearchHits } from '../../../src/formats/search-hits.js'
import { definePlugin } from '../../../src/plugins/index.js'
import { startServer } from '../../../src/server/index.js'
import type { StartServerOptions } from '../../../src/server/index.js'
import { createEchoModel } from '../../helpers/echo-model.js'

/** A 1×1 PNG (a browser can show it), recognisable bytes for the image route. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

export interface TestServer {
  readonly url: string
  readonly host: SessionHost
  readonly dir: string
  readonly imagePath: string
  close(): Promise<void>
}

/** Starts a server; `dir` (a fresh temp folder unless given) holds the store and the painter's image. */
export async function startTestServer(
  options: Partial<Omit<StartServerOptions, 'host'>> & { maxLiveSessions?: number; dir?: string; backend?: AgentOptions['backend'] } = {},
): Promise<TestServer> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'moss-serve-')))
  const imagePath = join(dir, 'cat.png')
  await writeFile(imagePath, PNG)
  const painter = definePlugin({
    name: 'painter',
    command: 'Text2Image',
    description: 'Draws a picture.',
    run: () => ({ text: 'Image generated successfully.', images: [{ path: imagePath, mimeType: 'image/png' }] }),
  })
  const search = definePlugin({
    name: 'search',
    command: 'Search',
    description: 'Searches the web (a fixed answer in tests).',
    run: () => formatSearchHits(['The first hit <b>bold?</b>', { title: 'Second', snippet: 'the second hit' }]),
  })
  const backend = options.backend ?? createEchoModel()
  const agent = createAgent({ backend, plugins: [calculator(), painter, search] })
  const host = createSessionHost({ agent, store: createFileSessionStore(join(dir, 'store')), maxLiveSessions: options.maxLiveSessions ?? 4 })
  const server = await startServer({ webRoot: false, ...options, host, port: 0 })
  let closed = false
  return {
    url: server.url,
    host,
    dir,
    imagePath,
    async close() {
      if (closed) return
      closed = true
      await server.close()
      await agent.dispose()
      await backend.dispose()
      if (options.dir === undefined) await rm(dir, { recursive: true, force: true })
    },
  }
}

/** One SSE message: its `id` and parsed JSON data. */
export interface SseMessage {
  readonly id: string | undefined
  readonly data: Record<string, unknown>
}

/** Reads an SSE response to its end with eventsource-parser; `onMessage` sees each message as it arrives. */
export async function readSse(response: Response, onMessage?: (message: SseMessage) => void): Promise<SseMessage[]> {
  const messages: SseMessage[] = []
  const parser = createParser({
    onEvent: (event) => {
      const message = { id: event.id, data: JSON.parse(event.data) as Record<string, unknown> }
      messages.push(message)
      onMessage?.(message)
    },
  })
  const decoder = new TextDecoder()
  if (!response.body) throw new Error('no body')
  for await (const chunk of response.body) parser.feed(decoder.decode(chunk, { stream: true }))
  return messages
}

/** POSTs JSON. */
export function post(url: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/** Waits until `check` holds (polling; the test's own timeout bounds it). */
export async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 10))
}
