/**
 * A Bolt receiver for the Events API over HTTP (node:http, no Express) that is stricter than Bolt's own:
 * signatures checked in constant time with a ±300 s timestamp window, `url_verification` answered directly,
 * retried deliveries dropped by `event_id` before Bolt sees them, and an acknowledgement sent no later than
 * `ackTimeoutMs` even if a listener is slow. While shutting down it answers 503 so Slack retries elsewhere/later.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { App, Receiver, ReceiverEvent } from '@slack/bolt'
import { EventDedupe } from './event-dedupe.js'
import { verifySlackSignature } from './signature.js'

/** Options of {@link StrictHttpReceiver}. */
export interface StrictHttpReceiverOptions {
  readonly signingSecret: string
  /** Path of the Events API endpoint. Defaults to `/slack/events`. */
  readonly path?: string
  /** Largest accepted body in bytes. Defaults to 1 MiB. */
  readonly maxBodyBytes?: number
  /** Answer 200 after this long even if Bolt has not acknowledged yet (Slack's limit is 3 s). Defaults to `2500`. */
  readonly ackTimeoutMs?: number
  /** Remembers event ids. Defaults to a 15-minute {@link EventDedupe}. */
  readonly dedupe?: EventDedupe
  /** Diagnostics. Defaults to silent. */
  readonly log?: (message: string) => void
  /** Clock in seconds, for tests. Defaults to the system clock. */
  readonly nowSeconds?: () => number
}

export class StrictHttpReceiver implements Receiver {
  readonly #o: StrictHttpReceiverOptions
  readonly #dedupe: EventDedupe
  readonly #server: Server
  #app: App | undefined
  #closing = false

  constructor(options: StrictHttpReceiverOptions) {
    this.#o = options
    this.#dedupe = options.dedupe ?? new EventDedupe()
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        this.#o.log?.(`request failed: ${String(error)}`)
        if (!res.headersSent) res.writeHead(500).end()
      })
    })
  }

  /** Called by Bolt with the app. */
  init(app: App): void {
    this.#app = app
  }

  /** Listens on `port` (0 = any) and `host` (defaults to all interfaces). Resolves to the bound address. */
  start(port = 3000, host?: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject)
        resolve(this.#server.address() as AddressInfo)
      })
    })
  }

  /** Stops accepting requests (new ones get 503 until the sockets close). */
  stop(): Promise<void> {
    this.#closing = true
    return new Promise((resolve) => {
      this.#server.close(() => resolve())
      this.#server.closeIdleConnections()
    })
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0]
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(this.#closing ? 503 : 200, { 'content-type': 'text/plain' }).end(this.#closing ? 'closing' : 'ok')
      return
    }
    if (req.method !== 'POST' || path !== (this.#o.path ?? '/slack/events')) {
      res.writeHead(404).end()
      return
    }
    if (this.#closing) {
      res.writeHead(503, { connection: 'close' }).end()
      return
    }
    const raw = await readBody(req, this.#o.maxBodyBytes ?? 1024 * 1024)
    if (raw === undefined) {
      res.writeHead(413).end()
      return
    }
    const verdict = verifySlackSignature(
      this.#o.signingSecret,
      { signature: header(req, 'x-slack-signature'), timestamp: header(req, 'x-slack-request-timestamp') },
      raw,
      this.#o.nowSeconds?.(),
    )
    if (verdict !== 'ok') {
      this.#o.log?.(`rejected request: ${verdict}`)
      res.writeHead(401).end()
      return
    }
    let body: Record<string, unknown>
    try {
      body = parseBody(raw, header(req, 'content-type'))
    } catch {
      res.writeHead(400).end()
      return
    }
    if (body.type === 'url_verification') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: body.challenge }))
      return
    }
    const eventId = typeof body.event_id === 'string' ? body.event_id : undefined
    if (eventId !== undefined && this.#dedupe.check(eventId)) {
      this.#o.log?.(`duplicate delivery of ${eventId} (retry ${header(req, 'x-slack-retry-num') ?? '?'}) dropped`)
      res.writeHead(200).end()
      return
    }
    await this.#dispatch(body, req, res, eventId)
  }

  async #dispatch(body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse, eventId: string | undefined): Promise<void> {
    const app = this.#app
    if (!app) {
      res.writeHead(503).end()
      return
    }
    let answered = false
    const answer = (status: number, payload?: unknown): void => {
      if (answered) return
      answered = true
      clearTimeout(timer)
      if (payload === undefined || payload === '') res.writeHead(status).end()
      else {
        const text = typeof payload === 'string' ? payload : JSON.stringify(payload)
        res.writeHead(status, { 'content-type': typeof payload === 'string' ? 'text/plain' : 'application/json' }).end(text)
      }
    }
    const timer = setTimeout(() => answer(200), this.#o.ackTimeoutMs ?? 2500)
    const retryNum = Number(header(req, 'x-slack-retry-num'))
    const retryReason = header(req, 'x-slack-retry-reason')
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => answer(200, response),
      ...(Number.isInteger(retryNum) ? { retryNum } : {}),
      ...(retryReason !== undefined ? { retryReason } : {}),
    }
    try {
      await app.processEvent(event)
    } catch (error) {
      this.#o.log?.(`event processing failed: ${String(error)}`)
      if (!answered) {
        // Nothing was started: let Slack's retry run it.
        if (eventId !== undefined) this.#dedupe.forget(eventId)
        answer(500)
      }
    }
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** Reads the body as UTF-8 text, or `undefined` when it is larger than `limit`. */
async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) return undefined
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Events arrive as JSON; interactivity payloads as a form with a `payload` field. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(raw)
    const payload = form.get('payload')
    return payload !== null ? (JSON.parse(payload) as Record<string, unknown>) : Object.fromEntries(form)
  }
  const parsed: unknown = JSON.parse(raw)
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError('not an object')
  return parsed as Record<string, unknown>
}
