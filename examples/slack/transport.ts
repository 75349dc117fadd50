/**
 * How Slack's events reach the bot, kept apart from what the bot does with them (sessions, replies): the Events
 * API over HTTP through {@link StrictHttpReceiver} (a public HTTPS URL, signed requests), or Socket Mode through
 * Bolt's own SocketModeReceiver (an outbound WebSocket opened with an app-level token: no public URL, no signing).
 */
import { LogLevel, SocketModeReceiver } from '@slack/bolt'
import type { Receiver } from '@slack/bolt'
import { describeError } from 'moss-agent'
import { StrictHttpReceiver } from './receiver.js'
import { SlackStartupError } from './startup.js'

/** Which way events arrive. */
export type SlackTransport =
  /** Events API: Slack POSTs signed requests to `https://your.host/slack/events`. */
  | { readonly mode: 'http'; readonly signingSecret: string }
  /** Socket Mode: the bot connects out to Slack with an app-level token (`xapp-…`, scope `connections:write`). */
  | { readonly mode: 'socket'; readonly appToken: string }

/** A receiver for Bolt and how to start and stop it. */
export interface SlackConnection {
  readonly mode: SlackTransport['mode']
  readonly receiver: Receiver
  /** HTTP: listens and resolves to the bound port. Socket Mode: connects and resolves to `undefined`. */
  start(port: number, host?: string): Promise<number | undefined>
  stop(): Promise<void>
}

/** Options of {@link createSlackConnection}. */
export interface SlackConnectionOptions {
  readonly log: (message: string) => void
  /** Web API base URL (Socket Mode calls `apps.connections.open` there). Defaults to Slack's. */
  readonly slackApiUrl?: string
  /** Socket Mode: give up when the WebSocket is not open after this long. Defaults to `30000` ms. */
  readonly connectTimeoutMs?: number
}

/** Creates the receiver `transport` asks for. */
export function createSlackConnection(transport: SlackTransport, options: SlackConnectionOptions): SlackConnection {
  if (transport.mode === 'http') {
    const receiver = new StrictHttpReceiver({ signingSecret: transport.signingSecret, log: options.log })
    return {
      mode: 'http',
      receiver,
      async start(port, host) {
        return (await receiver.start(port, host)).port
      },
      stop: () => receiver.stop(),
    }
  }
  const receiver = new SocketModeReceiver({
    appToken: transport.appToken,
    logLevel: LogLevel.ERROR,
    // The receiver hands these to its Socket Mode client, which calls apps.connections.open with them.
    installerOptions: { clientOptions: options.slackApiUrl !== undefined ? { slackApiUrl: options.slackApiUrl } : {} },
  })
  return {
    mode: 'socket',
    receiver,
    async start() {
      const timeoutMs = options.connectTimeoutMs ?? 30_000
      let timer: NodeJS.Timeout | undefined
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new SlackStartupError(`Socket Mode did not connect within ${timeoutMs} ms (apps.connections.open, then the WebSocket it names)`)),
          timeoutMs,
        )
      })
      try {
        await Promise.race([receiver.start(), timedOut])
      } catch (error) {
        await receiver.stop().catch(() => undefined)
        if (error instanceof SlackStartupError) throw error
        throw new SlackStartupError(`Socket Mode could not connect: ${describe(error)}; check SLACK_APP_TOKEN (xapp-…, scope connections:write)`)
      } finally {
        clearTimeout(timer)
      }
      options.log('connected to Slack in Socket Mode')
      return undefined
    },
    stop: () => receiver.stop(),
  }
}

function describe(error: unknown): string {
  const data = (error as { data?: { error?: unknown } }).data
  if (typeof data?.error === 'string') return data.error
  return describeError(error).split('\n')[0] ?? 'error'
}
