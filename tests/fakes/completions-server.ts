/**
 * Stand-in for an OpenAI-compatible completions server (vLLM, TGI `/v1/completions`, llama.cpp server) on
 * 127.0.0.1, port 0. Speaks the real wire format (`POST /v1/completions`, server-sent events ending in
 * `data: [DONE]`) and injects faults on demand. The Hugging Face client posts to the same route.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** The JSON body a client posted. */
export interface CompletionBody {
  readonly model?: string
  readonly prompt: string
  readonly max_tokens?: number
  readonly stream?: boolean
  readonly stop?: readonly string[]
  readonly temperature?: number
  readonly top_p?: number
  readonly top_k?: number
  readonly repetition_penalty?: number
  readonly seed?: number
  readonly [key: string]: unknown
}

/** One request as received. */
export interface ReceivedRequest {
  readonly path: string
  readonly headers: IncomingMessage['headers']
  readonly body: CompletionBody
}

/** How to answer one request. */
export type FakeReply =
  | {
      /** A normal stream: each piece is one event (one "token"). */
      readonly kind: 'stream'
      readonly pieces: readonly string[]
      /** Defaults to `'stop'`; `null` sends no finish event. */
      readonly finishReason?: string | null
      /** Cut the text at the first requested stop string, as a real server would. Defaults to `false`. */
      readonly honourStop?: boolean
      /** Delay before the response headers. */
      readonly firstByteDelayMs?: number
      /** Delay between events. */
      readonly pieceDelayMs?: number
      /** Send `data: [DONE]`. Defaults to `true`. */
      readonly done?: boolean
      /** Add a usage object to the finish event. */
      readonly usage?: boolean
      /** Destroy the socket after this many pieces (mid-stream disconnect). */
      readonly disconnectAfter?: number
      /** A raw line written after this many pieces (e.g. a malformed SSE line). */
      readonly injectAfter?: { readonly pieces: number; readonly raw: string }
    }
  | {
      /** An HTTP error. */
      readonly kind: 'status'
      readonly status: number
      readonly body?: string
      readonly headers?: Readonly<Record<string, string>>
    }
  | {
      /** Any body with any content type (invalid JSON, a non-streamed completion, …). */
      readonly kind: 'raw'
      readonly status?: number
      readonly contentType: string
      readonly body: string
    }
  | {
      /** Accept the connection, then close it without answering. */
      readonly kind: 'hang-up'
    }

/** Decides the reply to the `index`-th request (0-based). */
export type FakeHandler = (request: ReceivedRequest, index: number) => FakeReply | Promise<FakeReply>

/** A running stand-in. */
export interface CompletionsServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string
  /** Every request so far, in arrival order. */
  readonly requests: ReceivedRequest[]
  /** Most TCP connections open at once. */
  readonly maxConnections: number
  /** Most requests in progress at once. */
  readonly maxActiveRequests: number
  /** Streams the client closed before the server finished. */
  readonly clientAborts: number
  /** Replaces the handler. */
  setHandler(handler: FakeHandler): void
  close(): Promise<void>
}

/** Splits text into small pieces (1–3 characters), so markers arrive split across events. */
export function splitIntoPieces(text: string, size = 2): string[] {
  const chars = [...text]
  const pieces: string[] = []
  for (let index = 0; index < chars.length; index += size) pieces.push(chars.slice(index, index + size).join(''))
  return pieces
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function event(text: string, finishReason: string | null, extra: Record<string, unknown> = {}): string {
  const data = {
    id: 'cmpl-fake',
    object: 'text_completion',
    created: 0,
    model: 'fake',
    choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason }],
    ...extra,
  }
  return `data: ${JSON.stringify(data)}\n\n`
}

function cutAtStop(pieces: readonly string[], stops: readonly string[]): { pieces: string[]; stopped: boolean } {
  const text = pieces.join('')
  let cut = -1
  for (const stop of stops) {
    const index = text.indexOf(stop)
    if (index >= 0 && (cut < 0 || index < cut)) cut = index
  }
  if (cut < 0) return { pieces: [...pieces], stopped: false }
  const out: string[] = []
  let used = 0
  for (const piece of pieces) {
    if (used >= cut) break
    out.push(piece.slice(0, cut - used))
    used += piece.length
  }
  return { pieces: out.filter((piece) => piece.length > 0), stopped: true }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

async function writeStream(
  reply: Extract<FakeReply, { kind: 'stream' }>,
  body: CompletionBody,
  response: ServerResponse,
  socket: Socket,
  onAbort: () => void,
): Promise<void> {
  if (reply.firstByteDelayMs) await delay(reply.firstByteDelayMs)
  let pieces = [...reply.pieces]
  let finish = reply.finishReason === undefined ? 'stop' : reply.finishReason
  if (reply.honourStop === true && body.stop !== undefined) {
    const cut = cutAtStop(pieces, body.stop)
    pieces = cut.pieces
    if (cut.stopped) finish = 'stop'
  }
  if (socket.destroyed) return
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  let closed = false
  response.on('close', () => {
    if (!response.writableFinished) {
      closed = true
      onAbort()
    }
  })
  for (const [index, piece] of pieces.entries()) {
    if (closed) return
    if (reply.disconnectAfter === index) {
      socket.destroy()
      return
    }
    if (reply.injectAfter?.pieces === index) response.write(reply.injectAfter.raw)
    response.write(event(piece, null))
    if (reply.pieceDelayMs) await delay(reply.pieceDelayMs)
  }
  if (reply.disconnectAfter !== undefined && reply.disconnectAfter >= pieces.length) {
    socket.destroy()
    return
  }
  if (finish !== null) {
    const usage = reply.usage === true ? { usage: { prompt_tokens: 1, completion_tokens: pieces.length, total_tokens: 1 } } : {}
    response.write(event('', finish, usage))
  }
  if (reply.done !== false) response.write('data: [DONE]\n\n')
  response.end()
}

/** Starts a stand-in on 127.0.0.1. The default handler echoes the prompt's last 20 characters and stops. */
export async function startCompletionsServer(handler?: FakeHandler): Promise<CompletionsServer> {
  let current: FakeHandler = handler ?? ((request) => ({ kind: 'stream', pieces: splitIntoPieces(request.body.prompt.slice(-20)) }))
  const requests: ReceivedRequest[] = []
  const sockets = new Set<Socket>()
  let maxConnections = 0
  let active = 0
  let maxActiveRequests = 0
  let clientAborts = 0

  const server: Server = createServer((request, response) => {
    void (async () => {
      active++
      maxActiveRequests = Math.max(maxActiveRequests, active)
      try {
        const text = await readBody(request)
        const path = request.url ?? '/'
        if (request.method !== 'POST' || !path.replace(/\/+$/, '').endsWith('/v1/completions')) {
          response.writeHead(404, { 'content-type': 'application/json' })
          response.end(JSON.stringify({ error: { message: `No route ${request.method ?? ''} ${path}` } }))
          return
        }
        let body: CompletionBody
        try {
          body = JSON.parse(text) as CompletionBody
        } catch {
          response.writeHead(400, { 'content-type': 'application/json' })
          response.end(JSON.stringify({ error: 'invalid JSON body' }))
          return
        }
        const received: ReceivedRequest = { path, headers: request.headers, body }
        requests.push(received)
        const reply = await current(received, requests.length - 1)
        switch (reply.kind) {
          case 'status':
            response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
            response.end(reply.body ?? JSON.stringify({ error: `fake error ${reply.status}` }))
            return
          case 'raw':
            response.writeHead(reply.status ?? 200, { 'content-type': reply.contentType })
            response.end(reply.body)
            return
          case 'hang-up':
            request.socket.destroy()
            return
          case 'stream':
            await writeStream(reply, body, response, request.socket, () => clientAborts++)
            return
        }
      } finally {
        active--
      }
    })()
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    maxConnections = Math.max(maxConnections, sockets.size)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxConnections() {
      return maxConnections
    },
    get maxActiveRequests() {
      return maxActiveRequests
    },
    get clientAborts() {
      return clientAborts
    },
    setHandler(next) {
      current = next
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
