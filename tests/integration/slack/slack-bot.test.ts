/**
 * The Slack example against a fake Slack Web API on 127.0.0.1 and signed Events API requests.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { createAgent, definePlugin } from 'moss-agent'
import type { Agent } from 'moss-agent'
import { createSlackBot } from '../../../examples/slack/bot.js'
import type { SlackBot, SlackBotOptions } from '../../../examples/slack/bot.js'
import { FAKE_BOT_USER_ID, FAKE_TOKEN, FakeSlack } from '../../fakes/slack/fake-slack.js'
import type { FakeMessage } from '../../fakes/slack/fake-slack.js'
import { mentionEvent, postEvent, slackSignature } from '../../fakes/slack/events.js'
import { createEchoBackend, echoAnswer } from './echo-backend.js'
import type { EchoBackendOptions } from './echo-backend.js'

const SECRET = 'test-signing-secret'
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')

interface Running {
  bot: SlackBot
  agent: Agent
  backend: ReturnType<typeof createEchoBackend>
  url: string
}

let slack: FakeSlack
let dir: string
const started: Running[] = []

beforeEach(async () => {
  slack = await new FakeSlack().start()
  dir = await mkdtemp(join(tmpdir(), 'moss-slack-'))
})

afterEach(async () => {
  for (const running of started.splice(0)) await stopBot(running)
  await slack.close()
  await rm(dir, { recursive: true, force: true })
})

async function startBot(options: Partial<SlackBotOptions> & { model?: EchoBackendOptions } = {}): Promise<Running> {
  const backend = createEchoBackend(options.model)
  const imagePath = join(dir, 'cat.png')
  await writeFile(imagePath, PNG)
  const painter = definePlugin({
    name: 'painter',
    command: 'Text2Image',
    description: 'Draws a picture.',
    run: () => ({ text: 'Image generated successfully.', images: [{ path: imagePath, mimeType: 'image/png' }] }),
  })
  const agent = createAgent({ backend, plugins: [painter] })
  const bot = await createSlackBot({
    agent,
    token: FAKE_TOKEN,
    signingSecret: SECRET,
    storeDir: join(dir, 'store'),
    slackApiUrl: slack.apiUrl,
    apiRetries: 0,
    log: () => undefined,
    ...options,
  })
  const port = await bot.start(0, '127.0.0.1')
  const running = { bot, agent, backend, url: `http://127.0.0.1:${port}/slack/events` }
  started.push(running)
  return running
}

async function stopBot(running: Running): Promise<void> {
  const index = started.indexOf(running)
  if (index >= 0) started.splice(index, 1)
  await running.bot.stop()
  await running.agent.dispose()
  await running.backend.dispose()
}

/** Waits until `check` returns a value (polling the fake), failing after `ms`. */
async function until<T>(check: () => T | undefined | false, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const value = check()
    if (value !== undefined && value !== false) return value
    await sleep(25)
  }
  throw new Error('condition not met in time')
}

function botReplies(channel: string, threadTs: string | undefined): FakeMessage[] {
  return slack.messagesIn(channel, threadTs)
}

const mention = (text: string): string => `<@${FAKE_BOT_USER_ID}> ${text}`

describe('Slack adapter', () => {
  test('answers url_verification with the challenge', async () => {
    const { url } = await startBot()
    const response = await postEvent(url, SECRET, { type: 'url_verification', token: 'x', challenge: 'chal-123' })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ challenge: 'chal-123' })
  })

  test('a mention gets a streamed reply in its thread, updated at most once per second', async () => {
    const { url } = await startBot({ model: { chunkDelayMs: 120 } })
    const question = 'stream a longer answer please, 你好'
    const response = await postEvent(url, SECRET, mentionEvent({ channel: 'C1', ts: '100.000001', text: mention(question) }))
    expect(response.status).toBe(200)
    const expected = echoAnswer(question, 1)
    const [reply] = await until(() => {
      const replies = botReplies('C1', '100.000001')
      return replies[0]?.text === expected ? replies : undefined
    })
    expect(botReplies('C1', '100.000001')).toHaveLength(1)
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1)
    // Streamed: intermediate texts that grow towards the answer.
    const partial = reply!.history.slice(1, -1)
    expect(partial.length).toBeGreaterThan(0)
    for (const text of partial) expect(expected.startsWith(text.replace(/…$/, '').trim())).toBe(true)
    const updates = slack.callsOf('chat.update').map((call) => call.at)
    const gaps = updates.slice(1).map((at, i) => at - (updates[i] ?? 0))
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(950)
  })

  test('a retried delivery of the same event is answered once', async () => {
    const { url, backend } = await startBot()
    const body = mentionEvent({ channel: 'C2', ts: '200.000001', text: mention('only once'), eventId: 'EvRETRY' })
    const first = await postEvent(url, SECRET, body)
    const retry = await postEvent(url, SECRET, body, { retryNum: 1 })
    const retry2 = await postEvent(url, SECRET, body, { retryNum: 2 })
    expect([first.status, retry.status, retry2.status]).toEqual([200, 200, 200])
    await until(() => botReplies('C2', '200.000001')[0]?.text === echoAnswer('only once', 1))
    // Let any second run surface before counting.
    await sleep(300)
    expect(botReplies('C2', '200.000001')).toHaveLength(1)
    expect(backend.scripted.requests).toHaveLength(2) // one turn = two generations
  })

  test('forged signatures and timestamps more than 300 s away are rejected', async () => {
    const { url } = await startBot()
    const body = mentionEvent({ channel: 'C3', ts: '300.000001', text: mention('forged') })
    const now = Math.floor(Date.now() / 1000)
    const forged = await postEvent(url, SECRET, body, { signature: slackSignature('wrong-secret', now, JSON.stringify(body)) })
    const stale = await postEvent(url, SECRET, body, { timestamp: now - 301 })
    const future = await postEvent(url, SECRET, body, { timestamp: now + 301 })
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect([forged.status, stale.status, future.status, unsigned.status]).toEqual([401, 401, 401, 401])
    // A correctly signed request a little off (but inside the window) is accepted.
    const skewed = await postEvent(url, SECRET, { type: 'url_verification', challenge: 'ok' }, { timestamp: now + 200 })
    expect(skewed.status).toBe(200)
    await sleep(200)
    expect(slack.callsOf('chat.postMessage')).toHaveLength(0)
  })

  test('50 concurrent threads each get their own reply, none lost or misrouted', async () => {
    const { url } = await startBot({ concurrency: 4 })
    const threads = Array.from({ length: 50 }, (_, i) => ({ channel: `C${i % 5}`, ts: `${1000 + i}.000001`, q: `question ${i} 第${i}题` }))
    const responses = await Promise.all(threads.map((t) => postEvent(url, SECRET, mentionEvent({ channel: t.channel, ts: t.ts, text: mention(t.q) }))))
    expect(responses.every((r) => r.status === 200)).toBe(true)
    await until(() => threads.every((t) => botReplies(t.channel, t.ts)[0]?.text === echoAnswer(t.q, 1)), 60_000)
    for (const t of threads) {
      const replies = botReplies(t.channel, t.ts)
      expect(replies).toHaveLength(1)
      expect(replies[0]?.text).toBe(echoAnswer(t.q, 1))
    }
    expect(slack.callsOf('chat.postMessage')).toHaveLength(50)
  })

  test('a restarted bot continues a thread where it left off', async () => {
    const first = await startBot()
    await postEvent(first.url, SECRET, mentionEvent({ channel: 'C9', ts: '900.000001', text: mention('remember me') }))
    await until(() => botReplies('C9', '900.000001')[0]?.text === echoAnswer('remember me', 1))
    await stopBot(first)

    const second = await startBot()
    await postEvent(second.url, SECRET, mentionEvent({ channel: 'C9', ts: '900.000002', threadTs: '900.000001', text: mention('and now?') }))
    await until(() => botReplies('C9', '900.000001')[1]?.text === echoAnswer('and now?', 2))
    const transcript = second.backend.scripted.text
    expect(transcript).toContain('remember me')
  })

  test('rate-limited updates wait for Retry-After and still deliver the final text', async () => {
    const { url } = await startBot()
    slack.rateLimit('chat.update', 1, 1)
    await postEvent(url, SECRET, mentionEvent({ channel: 'C4', ts: '400.000001', text: mention('limited') }))
    await until(() => botReplies('C4', '400.000001')[0]?.text === echoAnswer('limited', 1))
    const updates = slack.callsOf('chat.update')
    expect(updates.length).toBeGreaterThanOrEqual(2)
    expect((updates[1]?.at ?? 0) - (updates[0]?.at ?? 0)).toBeGreaterThanOrEqual(950)
  })

  test('generated images are uploaded into the thread with files.uploadV2', async () => {
    const { url } = await startBot()
    await postEvent(url, SECRET, mentionEvent({ channel: 'C5', ts: '500.000001', text: mention('draw a cat') }))
    const file = await until(() => slack.files.find((f) => f.threadTs === '500.000001'))
    expect(file.channel).toBe('C5')
    expect(file.bytes?.equals(PNG)).toBe(true)
    expect(slack.callsOf('files.getUploadURLExternal')).toHaveLength(1)
    expect(slack.callsOf('files.completeUploadExternal')).toHaveLength(1)
  })

  test('shutdown aborts a turn that outlives the grace period and says so in the thread', async () => {
    const running = await startBot({ shutdownGraceMs: 300 })
    await postEvent(running.url, SECRET, mentionEvent({ channel: 'C6', ts: '600.000001', text: mention('hang on') }))
    await until(() => botReplies('C6', '600.000001')[0])
    await stopBot(running)
    const [reply] = botReplies('C6', '600.000001')
    expect(reply?.text).toContain('partial answer')
    expect(reply?.text).toContain('interrupted')
    const after = await fetch(running.url, { method: 'POST', body: '{}' }).catch(() => undefined)
    expect(after === undefined || after.status === 503).toBe(true)
  })
})
