/**
 * Runs the Slack bot (see README.md): `npx tsc -p examples/slack && node examples/slack/dist/main.js`. Events arrive
 * over Socket Mode when `SLACK_APP_TOKEN` is set, else over HTTP (Events API, `SLACK_SIGNING_SECRET`).
 * The model comes from the same environment variables as the CLI (`MOSS_MODEL`, `MOSS_THREADS`, `MOSS_BASE_URL`).
 */
import {
  calculator,
  equationSolver,
  search,
  searchConfigFromEnv,
  textToImage,
  textToImageConfigFromEnv,
} from 'moss-agent/plugins'
import { createAgent, createLlamaCppBackend, createOpenAICompatibleBackend, describeError } from 'moss-agent'
import type { ModelBackend } from 'moss-agent'
import { createSlackBot } from './bot.js'
import { slackConfigFromEnv } from './config.js'

async function run(): Promise<void> {
  const config = slackConfigFromEnv(process.env)
  const env = process.env
  const backend: ModelBackend = env.MOSS_BASE_URL
    ? createOpenAICompatibleBackend({ baseUrl: env.MOSS_BASE_URL, ...(env.MOSS_API_KEY ? { apiKey: env.MOSS_API_KEY } : {}) })
    : await createLlamaCppBackend({
        ...(env.MOSS_MODEL ? { model: env.MOSS_MODEL } : {}),
        ...(env.MOSS_THREADS ? { threads: Number(env.MOSS_THREADS) } : {}),
        // One sequence per concurrent turn: a thread waiting for the model must not hold a sequence.
        maxSessions: config.concurrency,
      })
  const searchConfig = searchConfigFromEnv(env)
  const agent = createAgent({
    backend,
    plugins: [
      calculator(),
      equationSolver(),
      ...(searchConfig ? [search(searchConfig)] : []),
      textToImage(textToImageConfigFromEnv(env)),
    ],
  })
  const bot = await createSlackBot({
    agent,
    token: config.token,
    ...(config.appToken !== undefined ? { appToken: config.appToken } : { signingSecret: config.signingSecret ?? '' }),
    startupTimeoutMs: config.startupTimeoutMs,
    storeDir: config.storeDir,
    concurrency: config.concurrency,
    shutdownGraceMs: config.shutdownGraceMs,
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
  })
  console.error(`[slack] model: ${backend.description}; checking the token with Slack…`)
  let port: number | undefined
  try {
    port = await bot.start(config.port, config.host)
  } catch (error) {
    // Nothing was started: free the model so the process ends with the error instead of lingering.
    await bot.stop().catch(() => undefined)
    await agent.dispose()
    await backend.dispose()
    throw error
  }
  console.error(port === undefined ? '[slack] ready (Socket Mode)' : `[slack] listening on :${port}/slack/events`)

  let stopping = false
  const shutdown = (signal: string): void => {
    if (stopping) return
    stopping = true
    console.error(`[slack] ${signal}: finishing turns in flight…`)
    void bot
      .stop()
      .then(() => agent.dispose())
      .then(() => backend.dispose())
      .then(() => console.error('[slack] stopped'))
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

run().catch((error: unknown) => {
  console.error(`[slack] ${describeError(error)}`)
  process.exitCode = 1
})
