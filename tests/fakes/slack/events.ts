/** Builds signed Events API requests, as Slack sends them, and posts them to a bot. */
import { createHmac } from 'node:crypto'

/** Signs `body` like Slack: `v0=` + HMAC-SHA256(secret, `v0:{ts}:{body}`). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`
}

/** Options of {@link postEvent}. */
export interface PostEventOptions {
  /** Request timestamp in seconds. Defaults to now. */
  readonly timestamp?: number
  /** Signature to send instead of the correct one. */
  readonly signature?: string
  /** `X-Slack-Retry-Num` header. */
  readonly retryNum?: number
}

/** POSTs a JSON body to the bot's events URL, signed with `secret`. */
export async function postEvent(url: string, secret: string, body: unknown, options: PostEventOptions = {}): Promise<Response> {
  const raw = JSON.stringify(body)
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000)
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(secret, timestamp, raw),
      ...(options.retryNum !== undefined ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' } : {}),
    },
    body: raw,
  })
}

let eventCounter = 0

/** An `event_callback` wrapping an `app_mention` in `channel`, optionally inside a thread. */
export function mentionEvent(options: { channel: string; ts: string; text: string; threadTs?: string; eventId?: string }): Record<string, unknown> {
  return {
    token: 'verification-token-unused',
    team_id: 'T0001',
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${String(++eventCounter).padStart(8, '0')}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0001', user_id: 'UBOT0001', is_bot: true }],
    event: {
      type: 'app_mention',
      user: 'UHUMAN01',
      text: options.text,
      ts: options.ts,
      channel: options.channel,
      event_ts: options.ts,
      ...(options.threadTs !== undefined ? { thread_ts: options.threadTs } : {}),
    },
  }
}
