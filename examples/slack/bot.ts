/**
 * The Slack bot: one moss-agent session per thread, hosted by the SDK's session host (sessions by thread key,
 * saved after every turn with their KV state, at most `maxLiveSessions` open on the model); mentions in channels
 * and direct messages start or continue a thread's conversation; answers stream into the thread; generated images
 * are uploaded with `files.uploadV2`. This file keeps only Slack's side: events, replies, and the order of the
 * replies in a thread (a thread's next reply waits until the previous one is finished and its images uploaded).
 * Events arrive over HTTP or Socket Mode (transport.ts); the first contact with Slack is bounded (startup.ts).
 */
import { basename, join } from 'node:path'
import { App, LogLevel, webApi } from '@slack/bolt'
import { createFileSessionStore, createSessionHost, describeError } from 'moss-agent'
import type { Agent, AgentEvent } from 'moss-agent'
import { EventDedupe } from './event-dedupe.js'
import { ReplyStreamer } from './reply-streamer.js'
import { fromSlackText } from './slack-text.js'
import { checkSlackAuth } from './startup.js'
import type { SlackIdentity } from './startup.js'
import { createSlackConnection } from './transport.js'
import type { SlackTransport } from './transport.js'
import { ThreadWorkQueue } from './work-queue.js'

/** Options of {@link createSlackBot}. */
export interface SlackBotOptions {
  /** The agent (its backend belongs to the caller). */
  readonly agent: Agent
  /** Bot token (`xoxb-…`). */
  readonly token: string
  /** Signing secret of the Slack app: events arrive over HTTP (the Events API). Give this or `appToken`. */
  readonly signingSecret?: string
  /** App-level token (`xapp-…`): events arrive over Socket Mode instead of HTTP (no public URL needed). */
  readonly appToken?: string
  /** Folder of the session store (session files in its `sessions/` folder). */
  readonly storeDir: string
  /** Slack Web API base URL. Defaults to `https://slack.com/api/` (tests point it at a fake). */
  readonly slackApiUrl?: string
  /** Turns running at once across threads. Defaults to `4`. */
  readonly concurrency?: number
  /** Sessions kept open on the model (older ones are reloaded from the store, KV state included). Defaults to `concurrency`. */
  readonly maxLiveSessions?: number
  /** Minimum time between updates of one message. Defaults to `1000` ms. */
  readonly updateIntervalMs?: number
  /** How long `stop()` lets running turns finish before aborting them. Defaults to `20000` ms. */
  readonly shutdownGraceMs?: number
  /** Retries of the Web API client on network errors. Defaults to Bolt's policy; tests pass `0`. */
  readonly apiRetries?: number
  /** How long `start()` tries to reach Slack (`auth.test`, then the Socket Mode connection). Defaults to `30000` ms. */
  readonly startupTimeoutMs?: number
  /** Deadline of one startup `auth.test` attempt. Defaults to `10000` ms. */
  readonly startupAttemptTimeoutMs?: number
  /** Diagnostics. Defaults to `console.error`. */
  readonly log?: (message: string) => void
}

/** A running bot. */
export interface SlackBot {
  readonly app: App
  /**
   * Checks the token with Slack (every failed attempt logged; a clear error after `startupTimeoutMs`), then listens
   * for Events API requests (resolves to the bound port) or connects in Socket Mode (resolves to `undefined`).
   */
  start(port?: number, host?: string): Promise<number | undefined>
  /** Stops taking events, lets running turns finish (or aborts them after the grace period), saves, closes. */
  stop(): Promise<void>
}

/** Text appended when a turn is abandoned at shutdown. */
const INTERRUPTED_NOTE = '_(interrupted: the bot is restarting; please ask again)_'

/** A message the bot was asked to answer. */
interface Request {
  readonly key: string
  readonly channel: string
  /** Where to reply: the thread root, or `undefined` at the top level of a DM. */
  readonly threadTs?: string
  readonly text: string
}

/** Creates the bot. Call `start` to listen. */
export async function createSlackBot(options: SlackBotOptions): Promise<SlackBot> {
  const log = options.log ?? ((message: string) => console.error(`[slack] ${message}`))
  const concurrency = options.concurrency ?? 4
  const host = createSessionHost({
    agent: options.agent,
    store: createFileSessionStore(join(options.storeDir, 'sessions')),
    maxLiveSessions: Math.max(1, options.maxLiveSessions ?? concurrency),
    log,
  })
  const connection = createSlackConnection(transportOf(options), {
    log,
    ...(options.slackApiUrl !== undefined ? { slackApiUrl: options.slackApiUrl } : {}),
    ...(options.startupTimeoutMs !== undefined ? { connectTimeoutMs: options.startupTimeoutMs } : {}),
  })
  const clientOptions = {
    ...(options.slackApiUrl !== undefined ? { slackApiUrl: options.slackApiUrl } : {}),
    rejectRateLimitedCalls: true,
    ...(options.apiRetries !== undefined ? { retryConfig: { retries: options.apiRetries } } : {}),
  }
  // The bot's own Web API client. Bolt's App gets no token: with one it would call auth.test at construction, with
  // the client's retries (silent for up to half an hour when Slack is unreachable); the identity comes from the
  // bounded check in start() instead.
  const client = new webApi.WebClient(options.token, { logLevel: LogLevel.ERROR, ...clientOptions })
  let identity: SlackIdentity | undefined
  const app = new App({
    receiver: connection.receiver,
    logLevel: LogLevel.ERROR,
    clientOptions,
    authorize: async () => {
      if (identity === undefined) throw new Error('the bot has not checked its token with Slack yet (start())')
      return {
        botToken: options.token,
        ...(identity.userId !== undefined ? { botUserId: identity.userId } : {}),
        ...(identity.botId !== undefined ? { botId: identity.botId } : {}),
      }
    },
  })
  // Orders each thread's replies (model turn, final edit, uploads); the host orders and bounds the model turns.
  const queue = new ThreadWorkQueue(concurrency)
  let botUserId: string | undefined
  let closing = false

  const answer = async (request: Request, release: () => void): Promise<void> => {
    if (closing) return // abandoned at shutdown before it started; the store is unchanged
    const streamer = new ReplyStreamer({
      client,
      channel: request.channel,
      ...(request.threadTs !== undefined ? { threadTs: request.threadTs } : {}),
      ...(options.updateIntervalMs !== undefined ? { intervalMs: options.updateIntervalMs } : {}),
      onError: (error) => log(`Slack call failed in ${request.key}: ${String(error)}`),
    })
    const reply: ReplyState = { answer: '', notes: [], images: [] }
    try {
      await streamer.start()
      let aborted = false
      for await (const event of host.send(request.key, request.text, { create: true })) {
        applyEvent(reply, event)
        if (event.type === 'turn-finish') aborted = event.aborted
        streamer.update(replyText(reply))
      }
      if (aborted) reply.notes.push(INTERRUPTED_NOTE)
    } catch (error) {
      log(`turn failed in ${request.key}: ${String(error)}`)
      reply.notes.push(`:warning: ${describe(error)}`)
    } finally {
      release() // the model is free for other threads; Slack calls below only wait on Slack
    }
    const final = replyText(reply)
    await streamer.finish(final === '' ? '_(no answer)_' : final)
    for (const image of reply.images) {
      const file = { file: image.path, filename: basename(image.path) }
      await client
        .filesUploadV2(
          request.threadTs !== undefined
            ? { ...file, channel_id: request.channel, thread_ts: request.threadTs }
            : { ...file, channel_id: request.channel },
        )
        .catch((error: unknown) => log(`image upload failed in ${request.key}: ${String(error)}`))
    }
  }

  const enqueue = (request: Request): void => {
    if (request.text === '') return
    void queue.push(request.key, ({ release }) => answer(request, release))
  }

  if (connection.mode === 'socket') {
    // Over HTTP the receiver drops redeliveries before Bolt; in Socket Mode Bolt has acknowledged the envelope
    // already (events are acked before middleware), so a redelivery is dropped here by its event_id.
    const dedupe = new EventDedupe()
    app.use(async ({ body, next }) => {
      const eventId = (body as { event_id?: unknown }).event_id
      if (typeof eventId === 'string' && dedupe.check(eventId)) return log(`duplicate delivery of ${eventId} dropped`)
      await next()
    })
  }

  app.event('app_mention', async ({ event }) => {
    const threadTs = event.thread_ts ?? event.ts
    enqueue({ key: `${event.channel}:${threadTs}`, channel: event.channel, threadTs, text: fromSlackText(event.text, botUserId) })
  })

  app.event('message', async ({ event }) => {
    // Plain user messages only: edits, joins and bot posts (ours included) carry a subtype or a bot_id.
    if (event.subtype !== undefined || 'bot_id' in event || !('text' in event) || typeof event.text !== 'string') return
    const threadTs = 'thread_ts' in event && typeof event.thread_ts === 'string' ? event.thread_ts : undefined
    const text = fromSlackText(event.text, botUserId)
    if (event.channel_type === 'im') {
      // In a DM the conversation itself is the thread; a threaded reply inside the DM is its own thread.
      const key = threadTs !== undefined ? `${event.channel}:${threadTs}` : event.channel
      enqueue({ key, channel: event.channel, ...(threadTs !== undefined ? { threadTs } : {}), text })
      return
    }
    // A reply in a channel thread the bot already talks in continues it; a mention there arrives as app_mention.
    const key = threadTs !== undefined ? `${event.channel}:${threadTs}` : undefined
    const mentioned = botUserId !== undefined && event.text.includes(`<@${botUserId}>`)
    if (key !== undefined && !mentioned && (await host.has(key))) enqueue({ key, channel: event.channel, threadTs, text })
  })

  app.error(async (error) => log(`bolt: ${String(error)}`))

  return {
    app,
    async start(port = 3000, host?: string) {
      identity = await checkSlackAuth({
        token: options.token,
        log,
        ...(options.slackApiUrl !== undefined ? { slackApiUrl: options.slackApiUrl } : {}),
        ...(options.startupTimeoutMs !== undefined ? { timeoutMs: options.startupTimeoutMs } : {}),
        ...(options.startupAttemptTimeoutMs !== undefined ? { attemptTimeoutMs: options.startupAttemptTimeoutMs } : {}),
      })
      botUserId = identity.userId
      return connection.start(port, host)
    },
    async stop() {
      await connection.stop()
      const grace = options.shutdownGraceMs ?? 20_000
      const drained = queue.drain().then(() => true)
      const timedOut = new Promise<false>((resolve) => setTimeout(() => resolve(false), grace).unref())
      if (!(await Promise.race([drained, timedOut]))) {
        closing = true // queued turns are dropped; running ones end now with what they have
        await host.close({ graceMs: 0 })
        await queue.drain()
      }
      closing = true
      await host.close() // every session was saved after its last turn
    },
  }
}

/** The transport the options choose: Socket Mode with an app token, else HTTP with the signing secret. */
function transportOf(options: SlackBotOptions): SlackTransport {
  if (options.appToken !== undefined) return { mode: 'socket', appToken: options.appToken }
  if (options.signingSecret !== undefined) return { mode: 'http', signingSecret: options.signingSecret }
  throw new Error('createSlackBot needs signingSecret (Events API over HTTP) or appToken (Socket Mode)')
}

/** What a turn has produced so far. */
interface ReplyState {
  answer: string
  readonly notes: string[]
  readonly images: { path: string }[]
}

/** Folds one event into the reply. */
function applyEvent(reply: ReplyState, event: AgentEvent): void {
  switch (event.type) {
    case 'text-delta':
      reply.answer += event.text
      return
    case 'image':
      reply.images.push({ path: event.path })
      return
    case 'error':
      reply.notes.push(`:warning: ${event.error.message}`)
      return
    case 'turn-finish':
      // The final answer is authoritative (the stream may have been repaired).
      if (event.text !== '') reply.answer = event.text
      return
    default:
      return
  }
}

/** The message text of a reply. */
function replyText(reply: ReplyState): string {
  return [reply.answer.trim(), ...reply.notes].filter((part) => part !== '').join('\n\n')
}

function describe(error: unknown): string {
  return describeError(error).split('\n')[0] ?? 'error'
}
