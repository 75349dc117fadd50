/**
 * The official `openai` npm client against `moss serve`'s /v1/chat/completions: the server runs the calculator
 * itself, the client streams the final answer, and the tool activity rides along in the extra `moss` field.
 */
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { echoAnswer } from '../../helpers/echo-model.js'
import { startTestServer } from './harness.js'
import type { TestServer } from './harness.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('moss serve: OpenAI-compatible endpoint with the official client', () => {
  it('streams a chat completion that involves a plugin call', async () => {
    server = await startTestServer({ token: 'tok', model: 'moss-test' })
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'tok', maxRetries: 0 })
    const stream = await client.chat.completions.create({ model: 'moss-test', messages: [{ role: 'user', content: 'calc 23*47' }], stream: true })
    let content = ''
    const tools: { type: string; name?: string; output?: string }[] = []
    let finish: string | null | undefined
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
      const extra = (chunk as unknown as { moss?: { event?: { type: string; name?: string; output?: string } } }).moss
      if (extra?.event) tools.push(extra.event)
      expect(chunk.object).toBe('chat.completion.chunk')
    }
    expect(content.trim()).toBe('The result is 1081.')
    expect(finish).toBe('stop')
    expect(tools.map((t) => t.type)).toEqual(['tool-call', 'tool-result'])
    expect(tools[1]).toMatchObject({ name: 'Calculate', output: '1081' })
    // Without a session header the conversation was not kept.
    expect(server.host.stats.live).toBe(0)
  })

  it('answers without streaming, with the tool events in `moss.events`', async () => {
    server = await startTestServer()
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 })
    const reply = await client.chat.completions.create({ model: 'x', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'calc 2^10' }] })
    expect(reply.choices[0]?.message.content?.trim()).toBe('The result is 1024.')
    expect(reply.usage?.completion_tokens).toBeGreaterThan(0)
    const events = (reply as unknown as { moss: { events: { type: string }[] } }).moss.events
    expect(events.map((e) => e.type)).toEqual(['tool-call', 'tool-result'])
  })

  it('continues a conversation named by the X-Moss-Session header', async () => {
    server = await startTestServer()
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0, defaultHeaders: { 'X-Moss-Session': 'my-chat' } })
    const first = await client.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'one' }] })
    const second = await client.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'two' }] })
    expect(first.choices[0]?.message.content).toBe(echoAnswer('one', 1))
    expect(second.choices[0]?.message.content).toBe(echoAnswer('two', 2))
    expect((await server.host.history('my-chat')).length).toBe(2)
  })

  it('replays the earlier messages of a stateless request as the conversation so far', async () => {
    server = await startTestServer()
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 })
    const reply = await client.chat.completions.create({
      model: 'x',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'one' },
        { role: 'assistant', content: echoAnswer('one', 1) },
        { role: 'user', content: '二' },
        { role: 'assistant', content: echoAnswer('二', 2) },
        { role: 'user', content: 'three' },
      ],
    })
    // The echo model counts the turns in its transcript: two replayed, this one the third.
    expect(reply.choices[0]?.message.content).toBe(echoAnswer('three', 3))
    expect(server.host.stats.live).toBe(0)
  })

  it('turns a refused request into the client’s typed error', async () => {
    server = await startTestServer({ token: 'tok' })
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'wrong', maxRetries: 0 })
    const error = await client.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError)
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401)
  })
})
