/**
 * The bot's first contact with Slack: `auth.test` with the bot token, tried until a deadline with every attempt
 * logged, then a clear failure. Bolt's Web API client retries network errors for up to half an hour in silence,
 * which looks like a hang to a person starting the bot behind a proxy or without a network.
 */
import { LogLevel, webApi } from '@slack/bolt'

/** Options of {@link checkSlackAuth}. */
export interface SlackAuthCheckOptions {
  /** Bot token (`xoxb-…`). */
  readonly token: string
  /** Web API base URL. Defaults to `https://slack.com/api/`. */
  readonly slackApiUrl?: string
  /** Give up after this long. Defaults to `30000` ms. */
  readonly timeoutMs?: number
  /** Deadline of one attempt. Defaults to `10000` ms. */
  readonly attemptTimeoutMs?: number
  /** Where each failed attempt is reported. */
  readonly log: (message: string) => void
}

/** What `auth.test` says about the bot. */
export interface SlackIdentity {
  /** The bot's user id (`U…`): mentions of it start a conversation. */
  readonly userId: string | undefined
  /** The bot id (`B…`): Bolt drops the bot's own messages by it. */
  readonly botId: string | undefined
  readonly team: string | undefined
}

/** Slack could not be reached, or refused the token. */
export class SlackStartupError extends Error {
  override readonly name = 'SlackStartupError'
}

/** First retry delay; it doubles up to {@link MAX_DELAY_MS}. */
const FIRST_DELAY_MS = 500
const MAX_DELAY_MS = 5_000

/**
 * Calls `auth.test` until it answers, logging each failed attempt. A refused token fails at once; network errors
 * and server errors are retried until `timeoutMs`, then a {@link SlackStartupError} says what was tried and why
 * it failed.
 */
export async function checkSlackAuth(options: SlackAuthCheckOptions): Promise<SlackIdentity> {
  const apiUrl = options.slackApiUrl ?? 'https://slack.com/api/'
  const timeoutMs = options.timeoutMs ?? 30_000
  const client = new webApi.WebClient(options.token, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    timeout: options.attemptTimeoutMs ?? 10_000,
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
  })
  const started = Date.now()
  let delay = FIRST_DELAY_MS
  for (let attempt = 1; ; attempt++) {
    let reason: string
    try {
      const auth = await client.auth.test()
      return { userId: stringOrUndefined(auth.user_id), botId: stringOrUndefined(auth.bot_id), team: stringOrUndefined(auth.team) }
    } catch (error) {
      const platform = platformError(error)
      if (platform !== undefined) {
        throw new SlackStartupError(`Slack refused the bot token (auth.test: ${platform}); check SLACK_BOT_TOKEN (xoxb-…)`)
      }
      reason = networkReason(error)
    }
    const elapsed = Date.now() - started
    if (elapsed + delay >= timeoutMs) {
      throw new SlackStartupError(
        `Slack's Web API at ${apiUrl} could not be reached (${attempt} attempts in ${Math.round(elapsed / 1000)} s; last: ${reason}). ` +
          'Check the network, proxy and firewall, or SLACK_API_URL',
      )
    }
    options.log(`auth.test attempt ${attempt} failed (${reason}); retrying in ${delay} ms`)
    await new Promise((resolve) => setTimeout(resolve, delay))
    delay = Math.min(delay * 2, MAX_DELAY_MS)
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** The `error` field of an `ok: false` answer (`invalid_auth`, `account_inactive`, …), if that is what failed. */
function platformError(error: unknown): string | undefined {
  const e = error as { code?: unknown; data?: { error?: unknown } }
  return e.code === webApi.ErrorCode.PlatformError && typeof e.data?.error === 'string' ? e.data.error : undefined
}

/**
 * Why a request did not get an answer: the system error under fetch's `fetch failed` (`connect ECONNREFUSED …`,
 * `getaddrinfo ENOTFOUND slack.com`), a timeout, or an HTTP status.
 */
function networkReason(error: unknown): string {
  const e = error as { code?: unknown; original?: unknown; message?: unknown; statusCode?: unknown }
  if (e.code === webApi.ErrorCode.HTTPError) return `HTTP ${String(e.statusCode)}`
  if (e.code === webApi.ErrorCode.RateLimitedError) return 'rate limited'
  let reason = firstLine(e.original ?? error)
  for (let cause = (e.original as { cause?: unknown } | undefined)?.cause, depth = 0; cause && depth < 4; depth++) {
    reason = firstLine(cause)
    cause = (cause as { cause?: unknown }).cause
  }
  return reason
}

function firstLine(value: unknown): string {
  const message = (value as { message?: unknown }).message
  return (typeof message === 'string' ? message : String(value)).split('\n')[0] ?? 'unknown error'
}
