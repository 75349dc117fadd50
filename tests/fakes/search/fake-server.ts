/**
 * A tiny HTTP server on 127.0.0.1 port 0 for external-service fakes: records every request and can be told to
 * misbehave for the next requests (hang, HTTP errors with Retry-After, invalid JSON, truncated or oversized bodies).
 */
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request as the fake saw it. */
export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: IncomingMessage['headers']
  readonly body: string
  /** The body parsed as JSON, or `undefined`. */
  readonly json: unknown
}

/** A way to misbehave on one request. */
export type Fault =
  | { readonly kind: 'hang' }
  | { readonly kind: 'status'; readonly status: number; readonly body?: string; readonly headers?: Record<string, string> }
  | { readonly kind: 'invalid-json' }
  | { readonly kind: 'truncated' }
  | { readonly kind: 'oversized'; readonly bytes: number; readonly contentType?: string }
  | { readonly kind: 'raw'; readonly status: number; readonly contentType: string; readonly body: Buffer | string }

/** Answers a well-behaved request. */
export type FakeHandler = (request: RecordedRequest, response: ServerResponse) => void

/** A running fake. */
export interface FakeServer {
  /** `http://127.0.0.1:{port}` */
  readonly url: string
  readonly requests: RecordedRequest[]
  /** Queues faults for the next requests, one per request, in order. */
  fail(...faults: Fault[]): void
  /** Forgets recorded requests and queued faults. */
  reset(): void
  close(): Promise<void>
}

/** Sends a JSON body. */
export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value)
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
  response.end(body)
}

function applyFault(fault: Fault, response: ServerResponse): void {
  switch (fault.kind) {
    case 'hang':
      return // never answer; close() destroys the socket
    case 'status':
      response.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers })
      response.end(fault.body ?? JSON.stringify({ error: `fake error ${fault.status}` }))
      return
    case 'invalid-json':
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end('{"results": [{"title": "half')
      return
    case 'truncated':
      // Promise 1000 bytes, send 20, then drop the connection.
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
      response.write('{"results": [{"titl')
      setTimeout(() => response.socket?.destroy(), 10)
      return
    case 'oversized': {
      response.writeHead(200, { 'content-type': fault.contentType ?? 'application/json' })
      const chunk = Buffer.alloc(64 * 1024, 0x61)
      let sent = 0
      const pump = (): void => {
        while (sent < fault.bytes) {
          sent += chunk.length
          if (!response.write(chunk)) {
            response.once('drain', pump)
            return
          }
        }
        response.end()
      }
      response.on('error', () => undefined)
      pump()
      return
    }
    case 'raw':
      response.writeHead(fault.status, { 'content-type': fault.contentType })
      response.end(fault.body)
      return
  }
}

/** Starts a fake on 127.0.0.1, port 0. */
export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: RecordedRequest[] = []
  const faults: Fault[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1')
      const body = Buffer.concat(chunks).toString('utf8')
      let json: unknown
      try {
        json = body ? JSON.parse(body) : undefined
      } catch {
        json = undefined
      }
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
        body,
        json,
      }
      requests.push(recorded)
      const fault = faults.shift()
      if (fault) applyFault(fault, response)
      else handler(recorded, response)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    fail: (...more) => faults.push(...more),
    reset: () => {
      requests.length = 0
      faults.length = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
