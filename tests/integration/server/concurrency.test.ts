/**
 * 100 SSE clients at once on 20 sessions (5 each), over 127.0.0.1 with the echo model, whose answers name their
 * question and turn: every client must get exactly its own turn, complete (ids 0..n without a gap, the streamed
 * text equal to the final answer), and every session must end with 5 turns numbered 1..5. Only 4 sessions may be
 * live at once, so sessions are closed and resumed from the store throughout.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { echoAnswer } from '../../helpers/echo-model.js'
import { post, readSse, startTestServer } from './harness.js'
import type { TestServer } from './harness.js'

const SESSIONS = 20
const CLIENTS = 100

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
})

describe('moss serve: concurrency', () => {
  it(`${CLIENTS} concurrent SSE clients on ${SESSIONS} sessions lose and misroute nothing`, { timeout: 120_000 }, async () => {
    server = await startTestServer({ maxLiveSessions: 4, maxConcurrentPerClient: CLIENTS })
    const url = server.url
    const ids = await Promise.all(
      Array.from({ length: SESSIONS }, async () => ((await (await post(`${url}/v1/sessions`, {})).json()) as { id: string }).id),
    )
    const results = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        const id = ids[client % SESSIONS] ?? ''
        const question = `client ${client} 问 session ${id}`
        const response = await post(`${url}/v1/sessions/${id}/messages`, { text: question })
        expect(response.status).toBe(200)
        return { id, question, messages: await readSse(response) }
      }),
    )
    let events = 0
    const turnsBySession = new Map<string, number[]>()
    for (const { id, question, messages } of results) {
      events += messages.length
      expect(messages.map((m) => m.id)).toEqual(messages.map((_, i) => String(i)))
      expect(messages[0]?.data).toMatchObject({ type: 'turn-start', input: question })
      const finish = messages.at(-1)?.data as { type: string; text: string; aborted: boolean }
      expect(finish).toMatchObject({ type: 'turn-finish', aborted: false })
      const turn = Number(/ turn (\d+)$/.exec(finish.text)?.[1])
      expect(finish.text).toBe(echoAnswer(question, turn))
      const streamed = messages.filter((m) => m.data.type === 'text-delta').map((m) => m.data.text).join('')
      expect(streamed.trim()).toBe(finish.text)
      turnsBySession.set(id, [...(turnsBySession.get(id) ?? []), turn])
    }
    for (const id of ids) {
      expect([...(turnsBySession.get(id) ?? [])].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5])
      const history = await server.host.history(id)
      expect(history.map((t) => t.human).sort()).toEqual(results.filter((r) => r.id === id).map((r) => r.question).sort())
    }
    expect(server.host.stats).toMatchObject({ running: 0, waiting: 0 })
    expect(server.host.stats.live).toBeLessThanOrEqual(4)
    console.log(`concurrency: ${CLIENTS} clients, ${SESSIONS} sessions, ${events} SSE events, 0 lost, 0 misrouted`)
  })
})
