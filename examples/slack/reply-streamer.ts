/**
 * Streams one answer into Slack: `chat.postMessage` once, then `chat.update` at most once per `intervalMs` for
 * that message, always ending with the full text. A 429 is honoured: the next call waits `Retry-After` seconds
 * (the client is created with `rejectRateLimitedCalls`, so the wait is ours and never blocks other threads).
 * Answers longer than one message continue in further messages when the turn ends.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { WebClient } from '@slack/web-api'
import { MAX_MESSAGE_CHARS, splitMessage, toSlackText } from './slack-text.js'

/** Options of {@link ReplyStreamer}. */
export interface ReplyStreamerOptions {
  readonly client: WebClient
  readonly channel: string
  /** Thread to reply in; `undefined` posts at the top level (a DM). */
  readonly threadTs?: string
  /** Minimum time between two `chat.update` calls of one message. Defaults to `1000`. */
  readonly intervalMs?: number
  /** Attempts per Slack call when rate-limited or failing. Defaults to `5`. */
  readonly attempts?: number
  /** Text shown before the first words arrive. Defaults to `…`. */
  readonly placeholder?: string
  /** Error reporting. */
  readonly onError?: (error: unknown) => void
}

/** Slack error code of a rate-limited call made with `rejectRateLimitedCalls`. */
const RATE_LIMITED = 'slack_webapi_rate_limited_error'

export class ReplyStreamer {
  readonly #o: Required<Omit<ReplyStreamerOptions, 'threadTs' | 'onError'>> & Pick<ReplyStreamerOptions, 'threadTs' | 'onError'>
  #ts: string | undefined
  #text = ''
  #sent = ''
  #lastUpdateAt = 0
  #notBefore = 0
  #finished = false
  #wake: (() => void) | undefined
  #loop: Promise<void> | undefined

  constructor(options: ReplyStreamerOptions) {
    this.#o = { intervalMs: 1000, attempts: 5, placeholder: '…', ...options }
  }

  /** Timestamp of the first message (after `start`). */
  get ts(): string | undefined {
    return this.#ts
  }

  /** Posts the placeholder message and starts the update loop. */
  async start(): Promise<void> {
    const response = await this.#call(() =>
      this.#o.client.chat.postMessage({
        channel: this.#o.channel,
        text: this.#o.placeholder,
        ...(this.#o.threadTs !== undefined ? { thread_ts: this.#o.threadTs } : {}),
      }),
    )
    this.#ts = response?.ts
    this.#sent = this.#o.placeholder
    this.#lastUpdateAt = Date.now()
    this.#loop = this.#run()
  }

  /** Sets the text shown so far (the whole answer, not a delta). */
  update(text: string): void {
    this.#text = text
    this.#wake?.()
  }

  /** Writes the final text (waiting for the throttle and any rate limit), then posts overflow messages. */
  async finish(text: string): Promise<void> {
    this.#text = text
    this.#finished = true
    this.#wake?.()
    await this.#loop
    const [, ...overflow] = splitMessage(text)
    for (const piece of overflow) {
      await this.#call(() =>
        this.#o.client.chat.postMessage({
          channel: this.#o.channel,
          text: toSlackText(piece),
          ...(this.#o.threadTs !== undefined ? { thread_ts: this.#o.threadTs } : {}),
        }),
      )
    }
  }

  async #run(): Promise<void> {
    if (this.#ts === undefined) return
    while (true) {
      if (this.#shown() === this.#sent) {
        if (this.#finished) return
        await new Promise<void>((resolve) => (this.#wake = resolve))
        this.#wake = undefined
        continue
      }
      const wait = Math.max(this.#lastUpdateAt + this.#o.intervalMs, this.#notBefore) - Date.now()
      if (wait > 0) await sleep(wait)
      const shown = this.#shown()
      const ok = await this.#call(() => this.#o.client.chat.update({ channel: this.#o.channel, ts: this.#ts ?? '', text: toSlackText(shown) }))
      this.#lastUpdateAt = Date.now()
      // A message that could not be updated after every attempt is left as it is rather than retried forever.
      this.#sent = ok ? shown : this.#shown()
    }
  }

  /** The first message's text: the first piece of the answer, marked as continued while more is coming. */
  #shown(): string {
    const text = this.#text === '' ? this.#o.placeholder : this.#text
    if (text.length <= MAX_MESSAGE_CHARS) return text
    const [first = ''] = splitMessage(text)
    return this.#finished ? first : `${first} …`
  }

  /** Calls Slack, waiting out rate limits; returns `undefined` when every attempt failed. */
  async #call<T>(request: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 1; attempt <= this.#o.attempts; attempt++) {
      const wait = this.#notBefore - Date.now()
      if (wait > 0) await sleep(wait)
      try {
        return await request()
      } catch (error) {
        const code = (error as { code?: string }).code
        if (code === RATE_LIMITED) {
          const seconds = Number((error as { retryAfter?: number }).retryAfter ?? 1)
          this.#notBefore = Date.now() + Math.max(1, seconds) * 1000
          continue
        }
        this.#o.onError?.(error)
        return undefined
      }
    }
    this.#o.onError?.(new Error('Slack kept rate-limiting this message; giving up'))
    return undefined
  }
}
