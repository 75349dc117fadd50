/**
 * 100 sessions at once on one stand-in through a pool of 8 connections: every turn is answered, no answer lands in
 * the wrong session, and the pool bound holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOpenAICompatibleBackend } from '../../../src/backends/remote/index.js'
import type { CompletionsServer } from '../../fakes/completions-server.js'
import { splitIntoPieces, startCompletionsServer } from '../../fakes/completions-server.js'
import { BACKENDS, collect } from './remote-helpers.js'

const SESSIONS = 100

/** The stand-in answers with the id found in the prompt's last human line, streamed in small pieces. */
function echoLastId(prompt: string): string[] {
  const ids = [...prompt.matchAll(/用户(\d+)号/g)].map((match) => match[1])
  return splitIntoPieces(`收到${ids.at(-1) ?? '?'}号，第${ids.length}轮<eom>tail`, 3)
}

describe('many sessions on one server', () => {
  let server: CompletionsServer

  beforeAll(async () => {
    server = await startCompletionsServer((request) => ({
      kind: 'stream',
      pieces: echoLastId(request.body.prompt),
    }))
  })
  afterAll(async () => {
    await server.close()
  })

  it('100 concurrent sessions, two turns each, through a pool of 8 connections', async () => {
    const backend = createOpenAICompatibleBackend({ baseUrl: server.url, connections: 8 })
    const sessions = await Promise.all(Array.from({ length: SESSIONS }, () => backend.open()))
    const turn = (round: number) =>
      Promise.all(
        sessions.map(async (session, index) => {
          await session.append([{ text: `<|Human|>: 我是用户${index}号<eoh>\n<|MOSS|>:`, trusted: false }])
          return (await collect(session, { stop: ['<eom>'] })).text
        }),
      ).then((answers) => answers.forEach((answer, index) => expect(answer).toBe(`收到${index}号，第${round}轮`)))
    await turn(1)
    await turn(2)
    expect(server.requests).toHaveLength(2 * SESSIONS)
    // Each second-turn prompt carries only its own session's history.
    for (const request of server.requests.slice(SESSIONS)) {
      const ids = new Set([...request.body.prompt.matchAll(/用户(\d+)号/g)].map((match) => match[1]))
      expect(ids.size).toBe(1)
    }
    expect(server.maxConnections).toBeLessThanOrEqual(8)
    expect(server.maxConnections).toBeGreaterThan(1)
    await backend.dispose()
  })

  it.each(BACKENDS)('%s: 100 concurrent single-turn sessions are not mixed up', async (_name, create) => {
    const backend = create(server.url, { connections: 8 })
    const answers = await Promise.all(
      Array.from({ length: SESSIONS }, async (_, index) => {
        const session = await backend.open()
        await session.append([{ text: `我是用户${index}号`, trusted: false }])
        return (await collect(session, { stop: ['<eom>'] })).text
      }),
    )
    answers.forEach((answer, index) => expect(answer).toBe(`收到${index}号，第1轮`))
    await backend.dispose()
  })
})
