/** The bot's configuration from environment variables (documented in README.md). */

/** Resolved configuration. */
export interface SlackBotConfig {
  readonly token: string
  /** Events API over HTTP (set when `appToken` is not). */
  readonly signingSecret: string | undefined
  /** Socket Mode (`SLACK_APP_TOKEN`, `xapp-…`). */
  readonly appToken: string | undefined
  readonly port: number
  readonly host: string | undefined
  readonly storeDir: string
  readonly concurrency: number
  readonly slackApiUrl: string | undefined
  readonly shutdownGraceMs: number
  readonly startupTimeoutMs: number
}

/** A missing or malformed variable. */
export class SlackConfigError extends Error {
  override readonly name = 'SlackConfigError'
}

/** Reads the configuration; throws {@link SlackConfigError} naming the first bad variable. */
export function slackConfigFromEnv(env: Readonly<Record<string, string | undefined>>): SlackBotConfig {
  const required = (name: string): string => {
    const value = env[name]?.trim()
    if (!value) throw new SlackConfigError(`${name} is not set (see examples/slack/README.md)`)
    return value
  }
  const integer = (name: string, fallback: number, min: number): number => {
    const raw = env[name]?.trim()
    if (!raw) return fallback
    const value = Number(raw)
    if (!Number.isInteger(value) || value < min) throw new SlackConfigError(`${name} must be an integer ≥ ${min} (got "${raw}")`)
    return value
  }
  const appToken = env.SLACK_APP_TOKEN?.trim() || undefined
  if (appToken !== undefined && !appToken.startsWith('xapp-')) {
    throw new SlackConfigError('SLACK_APP_TOKEN must be an app-level token (xapp-…, scope connections:write)')
  }
  return {
    token: required('SLACK_BOT_TOKEN'),
    // Socket Mode needs no signing secret (nothing is received over HTTP); the Events API does.
    signingSecret: appToken === undefined ? required('SLACK_SIGNING_SECRET') : env.SLACK_SIGNING_SECRET?.trim() || undefined,
    appToken,
    port: integer('PORT', 3000, 0),
    host: env.HOST?.trim() || undefined,
    storeDir: env.MOSS_SLACK_STORE?.trim() || '.moss-slack',
    concurrency: integer('MOSS_SLACK_CONCURRENCY', 4, 1),
    slackApiUrl: env.SLACK_API_URL?.trim() || undefined,
    shutdownGraceMs: integer('MOSS_SLACK_SHUTDOWN_GRACE_MS', 20_000, 0),
    startupTimeoutMs: integer('MOSS_SLACK_STARTUP_TIMEOUT_MS', 30_000, 1),
  }
}
