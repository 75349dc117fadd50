/**
 * The Slack example's first contact with Slack and its Socket Mode transport, against stand-ins on 127.0.0.1: a Web
 * API that is down, silent or refuses the token must end `start()` with one clear error (every attempt logged)
 * instead of a silent hang; Socket Mode (Bolt's SocketModeReceiver) connects to the WebSocket that
 * `apps.connections.open` names, acknowledges envelopes, answers in the thread and drops redeliveries.
 */
import { createServer } from 'node:net'
import type { AddressInfo, Server, Socket } from 'node:net'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { createAgent } from 'moss-agent'
import { createSlackBot } from '../../../examples/slack/bot.js'
import type { SlackBot, SlackBotOptions } from '../../../examples/slack/bot.js'
import { FAKE_APP_TOKEN, FAKE_BOT_USER_ID, FAKE_TOKEN, FakeSlack } from '../../fakes/slack/fake-slack.js'
import { mentionEvent } from '../../fakes/slack/events.js'
import { FakeSocketMode } from '../../fakes/slack/socket-mode.js'
import { createEchoBackend, echoAnswer } from './echo-backend.js'
import { closedPort } from '../../helpers/closed-port.js'

let slack: FakeSlack
let dir: string
const cleanups: (() => Promise<void>)[] = []

beforeEach(async () => {
  slack = await new FakeSlack().start()
  dir = await mkdtemp(join(tmpdir(), 'moss-slack-start-'))
})

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  await slack.close()
  await rm(dir, { recursive: true, force: true })
})

async function makeBot(options: Partial<SlackBotOptions>, logs: string[] = []): Promise<SlackBot> {
  const backend = createEchoBackend()
  const agent = createAgent({ backend })
  const bot = await createSlackBot({
    agent,
    token: FAKE_TOKEN,
    storeDir: join(dir, 'store'),
    slackApiUrl: slack.apiUrl,
    apiRetries: 0,
    log: (message) => logs.push(message),
    ...options,
  })
  cleanups.push(async () => {
    await bot.stop()
    await agent.dispose()
    await backend.dispose()
  })
  return bot
}

/** A TCP server on 127.0.0.1 that accepts connections and never answers (a black-holed API). */
async function silentServer(): Promise<{ url: string }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => void sockets.add(socket))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/` }
}

/** A port on 127.0.0.1 with nothing listening (connection refused). */
async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await closedPort()}/api/`
}

async function until<T>(check: () => T | undefined | false, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const value = check()
    if (value !== undefined && value !== false) return value
    await sleep(25)
  }
  throw new Error('condition not met in time')
}

describe('Slack bot startup', () => {
  test('an unreachable Web API: every attempt is logged, then one clear error', async () => {
    const logs: string[] = []
    const url = await closedPortUrl()
    const bot = await makeBot({ signingSecret: 's', slackApiUrl: url, startupTimeoutMs: 2_500 }, logs)
    await expect(bot.start(0, '127.0.0.1')).rejects.toThrow(
      new RegExp(`^Slack's Web API at ${url.replace(/[.]/g, '\\.')} could not be reached \\(\\d+ attempts in \\d+ s; last: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+\\)\\. Check the network`),
    )
    expect(logs.length).toBeGreaterThanOrEqual(2)
    expect(logs[0]).toMatch(/^auth\.test attempt 1 failed \(connect ECONNREFUSED 127\.0\.0\.1:\d+\); retrying in 500 ms$/)
  })

  test('a Web API that never answers: each attempt times out instead of hanging', async () => {
    const logs: string[] = []
    const { url } = await silentServer()
    const bot = await makeBot({ signingSecret: 's', slackApiUrl: url, startupTimeoutMs: 2_500, startupAttemptTimeoutMs: 400 }, logs)
    await expect(bot.start(0, '127.0.0.1')).rejects.toThrow(/could not be reached \(\d+ attempts in \d+ s; last: .*timeout/i)
    expect(logs[0]).toMatch(/^auth\.test attempt 1 failed \(.*timeout.*\); retrying in 500 ms$/i)
  })

  test('a refused token fails at once, naming the variable to check', async () => {
    const logs: string[] = []
    const bot = await makeBot({ signingSecret: 's', token: 'xoxb-wrong' }, logs)
    await expect(bot.start(0, '127.0.0.1')).rejects.toThrow('Slack refused the bot token (auth.test: invalid_auth); check SLACK_BOT_TOKEN (xoxb-…)')
    expect(logs).toEqual([])
    expect(slack.callsOf('auth.test')).toHaveLength(1)
  })
})

describe('Slack bot in Socket Mode', () => {
  let socket: FakeSocketMode
  beforeEach(async () => {
    socket = await new FakeSocketMode().start()
    slack.socketModeUrl = socket.url
    cleanups.push(() => socket.close())
  })

  test('connects with the app token, acknowledges each envelope, answers in the thread, drops a redelivery', async () => {
    const logs: string[] = []
    const bot = await makeBot({ appToken: FAKE_APP_TOKEN }, logs)
    expect(await bot.start()).toBeUndefined()
    expect(slack.callsOf('apps.connections.open').map((call) => call.token)).toEqual([FAKE_APP_TOKEN])
    expect(socket.open).toBe(1)

    const question = 'socket mode works, 你好'
    const body = mentionEvent({ channel: 'C9', ts: '900.000001', text: `<@${FAKE_BOT_USER_ID}> ${question}`, eventId: 'EvSOCKET1' })
    const ack = await socket.sendEvent(body)
    expect(typeof ack.envelope_id).toBe('string')
    const expected = echoAnswer(question, 1)
    await until(() => slack.messagesIn('C9', '900.000001')[0]?.text === expected)

    // Slack redelivers an envelope whose ack it missed: acknowledged again, answered once.
    const redelivery = await socket.sendEvent(body, 1)
    expect(redelivery.envelope_id).not.toBe(ack.envelope_id)
    expect(socket.acks.map((a) => a.envelope_id)).toEqual([ack.envelope_id, redelivery.envelope_id])
    await until(() => logs.some((line) => line.includes('duplicate delivery of EvSOCKET1')))
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1)

    await bot.stop()
    await until(() => socket.open === 0)
  })

  test('a wrong app token is one clear error', async () => {
    const bot = await makeBot({ appToken: 'xapp-wrong', startupTimeoutMs: 10_000 })
    await expect(bot.start()).rejects.toThrow(/^Socket Mode could not connect: .*invalid_auth.*check SLACK_APP_TOKEN/)
    expect(socket.connections).toBe(0)
  })
})

describe('Slack app manifests', () => {
  const example = (name: string) => new URL(`../../../examples/slack/${name}`, import.meta.url)
  interface Manifest {
    oauth_config: { scopes: { bot: string[] } }
    settings: { socket_mode_enabled: boolean; event_subscriptions: { request_url?: string; bot_events: string[] } }
  }

  test('subscribe to exactly the events the bot handles, with the scopes those events and its calls need', async () => {
    const source = await readFile(example('bot.ts'), 'utf8')
    const handled = [...source.matchAll(/app\.event\('([a-z_.]+)'/g)].map((m) => m[1]).sort()
    expect(handled).toEqual(['app_mention', 'message'])
    for (const [file, socketMode] of [['manifest.json', false], ['manifest.socket-mode.json', true]] as const) {
      const manifest = JSON.parse(await readFile(example(file), 'utf8')) as Manifest
      const events = manifest.settings.event_subscriptions.bot_events
      expect(events.map((event) => event.split('.')[0]).filter((e, i, all) => all.indexOf(e) === i).sort()).toEqual(handled)
      // Each event's scope, plus chat:write for replies and files:write for files.uploadV2.
      expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['app_mentions:read', 'channels:history', 'chat:write', 'files:write', 'im:history'])
      expect(manifest.settings.socket_mode_enabled).toBe(socketMode)
      expect(manifest.settings.event_subscriptions.request_url === undefined).toBe(socketMode)
    }
  })
})
