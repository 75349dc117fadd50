/**
 * A fake Slack Web API on 127.0.0.1, speaking the real wire format: form-encoded (or JSON) POSTs to
 * `/api/{method}` with a Bearer token, answers `{ ok, … }`. Implements auth.test, chat.postMessage, chat.update,
 * files.getUploadURLExternal, the upload URL itself and files.completeUploadExternal, apps.connections.open (Socket
 * Mode: app-level token `xapp-…`, answers the URL set in `socketModeUrl`), and records every call.
 * `rateLimit(method, times, retryAfter)` makes the next calls of a method answer 429 with `Retry-After`.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One recorded Web API call. */
export interface SlackCall {
  readonly method: string
  readonly args: Record<string, unknown>
  readonly token: string | undefined
  /** Milliseconds since the fake started. */
  readonly at: number
}

/** A message as the fake stores it. */
export interface FakeMessage {
  readonly channel: string
  readonly ts: string
  readonly threadTs: string | undefined
  text: string
  /** Every text the message had, oldest first (postMessage, then each update). */
  readonly history: string[]
}

/** An uploaded file. */
export interface FakeFile {
  readonly id: string
  readonly filename: string
  bytes: Buffer | undefined
  channel?: string
  threadTs?: string
}

export const FAKE_BOT_USER_ID = 'UBOT0001'
export const FAKE_TOKEN = 'xoxb-fake-token'
/** The app-level token Socket Mode connects with. */
export const FAKE_APP_TOKEN = 'xapp-fake-app-token'

export class FakeSlack {
  readonly calls: SlackCall[] = []
  readonly messages: FakeMessage[] = []
  readonly files: FakeFile[] = []
  readonly #server: Server
  readonly #started = Date.now()
  readonly #limits = new Map<string, { times: number; retryAfter: number }>()
  #tsCounter = 0
  #url = ''
  /** What `apps.connections.open` answers (a {@link FakeSocketMode} URL); unset, it answers an error. */
  socketModeUrl: string | undefined

  constructor() {
    this.#server = createServer((req, res) => {
      void this.#handle(req).then(
        ({ status, body, headers }) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
        },
        (error: unknown) => res.writeHead(500).end(String(error)),
      )
    })
  }

  /** Base URL to pass as `slackApiUrl` (ends with `/api/`). */
  get apiUrl(): string {
    return `${this.#url}/api/`
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    const { port } = this.#server.address() as AddressInfo
    this.#url = `http://127.0.0.1:${port}`
    return this
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  /** The next `times` calls of `method` answer 429 with `Retry-After: retryAfter`. */
  rateLimit(method: string, times: number, retryAfter = 1): void {
    this.#limits.set(method, { times, retryAfter })
  }

  /** Calls of one method. */
  callsOf(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method)
  }

  /** Messages posted in a thread (or at the top level of a channel when `threadTs` is undefined). */
  messagesIn(channel: string, threadTs: string | undefined): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.threadTs === threadTs)
  }

  async #handle(req: IncomingMessage): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const raw = await readRaw(req)
    const path = (req.url ?? '').split('?')[0] ?? ''
    if (path.startsWith('/upload/')) {
      const file = this.files.find((f) => f.id === path.slice('/upload/'.length))
      if (!file) return { status: 404, body: { ok: false } }
      file.bytes = await uploadedBytes(raw, req.headers['content-type'])
      return { status: 200, body: { ok: true } }
    }
    if (!path.startsWith('/api/')) return { status: 404, body: { ok: false, error: 'unknown_url' } }
    const method = path.slice('/api/'.length)
    const args = parseArgs(raw.toString('utf8'), req.headers['content-type'])
    const auth = req.headers.authorization
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : undefined
    this.calls.push({ method, args, token, at: Date.now() - this.#started })
    const limit = this.#limits.get(method)
    if (limit && limit.times > 0) {
      limit.times--
      return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(limit.retryAfter) } }
    }
    if (method === 'apps.connections.open') {
      if (token !== FAKE_APP_TOKEN) return { status: 200, body: { ok: false, error: token?.startsWith('xoxb-') ? 'not_allowed_token_type' : 'invalid_auth' } }
      return { status: 200, body: this.socketModeUrl ? { ok: true, url: this.socketModeUrl } : { ok: false, error: 'internal_error' } }
    }
    if (token !== FAKE_TOKEN) return { status: 200, body: { ok: false, error: 'invalid_auth' } }
    return { status: 200, body: this.#method(method, args) }
  }

  #method(method: string, args: Record<string, unknown>): unknown {
    const str = (name: string): string | undefined => (typeof args[name] === 'string' ? (args[name] as string) : undefined)
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.test/', team: 'Fake', user: 'moss', team_id: 'T0001', user_id: FAKE_BOT_USER_ID, bot_id: 'B0001' }
      case 'chat.postMessage': {
        const channel = str('channel')
        const text = str('text') ?? ''
        if (!channel) return { ok: false, error: 'channel_not_found' }
        const ts = `${1700000000 + ++this.#tsCounter}.000100`
        this.messages.push({ channel, ts, threadTs: str('thread_ts'), text, history: [text] })
        return { ok: true, channel, ts, message: { text, ts } }
      }
      case 'chat.update': {
        const message = this.messages.find((m) => m.channel === str('channel') && m.ts === str('ts'))
        if (!message) return { ok: false, error: 'message_not_found' }
        message.text = str('text') ?? ''
        message.history.push(message.text)
        return { ok: true, channel: message.channel, ts: message.ts, text: message.text }
      }
      case 'files.getUploadURLExternal': {
        const id = `F${String(this.files.length + 1).padStart(6, '0')}`
        this.files.push({ id, filename: str('filename') ?? 'file', bytes: undefined })
        return { ok: true, upload_url: `${this.#url}/upload/${id}`, file_id: id }
      }
      case 'files.completeUploadExternal': {
        const list = JSON.parse(str('files') ?? '[]') as { id: string }[]
        for (const { id } of list) {
          const file = this.files.find((f) => f.id === id)
          if (!file) return { ok: false, error: 'file_not_found' }
          const channel = str('channel_id')
          const threadTs = str('thread_ts')
          if (channel) file.channel = channel
          if (threadTs) file.threadTs = threadTs
        }
        return { ok: true, files: list.map(({ id }) => ({ id })) }
      }
      default:
        return { ok: false, error: 'unknown_method' }
    }
  }
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** The upload URL takes the raw bytes or a multipart form with one file (what @slack/web-api sends). */
async function uploadedBytes(raw: Buffer, contentType: string | undefined): Promise<Buffer> {
  if (!contentType?.startsWith('multipart/form-data')) return raw
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData()
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer())
  }
  return Buffer.alloc(0)
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {}
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>
  return Object.fromEntries(new URLSearchParams(raw))
}
