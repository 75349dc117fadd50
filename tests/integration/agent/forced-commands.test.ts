/**
 * A thought that never closes, on a real model: with the commands grammar on, the MOSS format closes the thought at
 * the token limit and lets the grammar write the commands span, so the turn still has valid commands (a random
 * model is the worst case: its thought never ends by itself and its argument would run forever unbounded). The forced
 * span's grammar is bounded to what its token budget holds, so it closes with `<eoc>` on every sampling path — not
 * only on the one this machine's floating point happens to take.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAgent } from '../../../src/agent/index.js'
import { createLlamaCppBackend, type LlamaCppBackend, type LlamaCppSession } from '../../../src/backends/llama-cpp/index.js'
import { BudgetExceededError } from '../../../src/errors.js'
import { parseMossTranscript } from '../../../src/formats/index.js'
import { createMossFormat } from '../../../src/formats/index.js'
import { MOSS_FORCED_COMMANDS_TOKENS, MOSS_MAX_ARGUMENT_CHARS } from '../../../src/formats/moss/markers.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import { RecordingBackend, eventsOfType } from '../../../src/testing/index.js'
import { getTestModelPath } from '../../helpers/test-model.js'

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'

const echo = definePlugin({ name: 'calculator', command: 'Calculate', description: 'echoes', label: 'Calculator', run: (input) => `got ${input.length} chars` })

describe('forced commands span on a real model', () => {
  let backend: LlamaCppBackend

  beforeAll(async () => {
    backend = await createLlamaCppBackend({ model: await getTestModelPath(), threads: 1, gpu: false, contextSize: 3072, maxSessions: 1 })
  })
  afterAll(async () => {
    await backend?.dispose()
  })

  it('closes a runaway thought and writes a grammar-valid commands span', async () => {
    const spy = new RecordingBackend<LlamaCppSession>(backend)
    const agent = createAgent({ backend: spy, plugins: [echo], sampling: { temperature: 0, repeatPenalty: 1 }, budgets: { maxTokensPerGeneration: 360 } })
    const session = await agent.createSession()
    const reply = await session.ask('What is 2+3?')

    // First generation: the thought ran to the limit. Second: the forced commands span, closed by the grammar's <eoc>.
    const generations = spy.sessions[0]!.log.filter((call) => call.kind === 'generate')
    expect(generations[0]?.outcome?.reason).toBe('max-tokens')
    expect(generations[1]?.outcome).toMatchObject({ reason: 'stop', stop: '<eoc>' })
    // Reported, but the turn went on and was recorded.
    const errors = eventsOfType(reply.events, 'error').map((e) => e.error)
    expect(errors.length).toBeGreaterThan(0)
    expect(errors.every((e) => e instanceof BudgetExceededError && e.budget === 'tokens')).toBe(true)
    expect(eventsOfType(reply.events, 'turn-finish')[0]?.aborted).toBe(false)
    expect(session.turns).toHaveLength(1)

    const argument = `[^"<\\r\\n]{1,${MOSS_MAX_ARGUMENT_CHARS}}`
    const valid = new RegExp(`^(None|Calculate\\("${argument}"\\)(, Calculate\\("${argument}"\\)){0,3})$`, 'u')
    expect(session.turns[0]?.commands).toMatch(valid)
    // What the grammar wrote is what ran.
    const calls = eventsOfType(reply.events, 'tool-call')
    if (session.turns[0]?.commands !== 'None') expect(calls.length).toBeGreaterThan(0)
    for (const call of calls) expect(call.input.length).toBeLessThanOrEqual(MOSS_MAX_ARGUMENT_CHARS)

    // The transcript keeps MOSS's exact layout: the closed thought, the commands, and it parses back to the record.
    const text = (session as unknown as { transcript: readonly { text: string }[] }).transcript.map((p) => p.text).join('')
    expect(text).toContain(`<eot>\n<|Commands|>: ${session.turns[0]?.commands}<eoc>`)
    const parsed = parseMossTranscript(text)
    expect(parsed.turns).toHaveLength(1)
    expect(parsed.turns[0]?.record.commands).toBe(session.turns[0]?.commands)
    await session.dispose()
    await agent.dispose()
  })

  it('closes the forced span with <eoc> within its budget on every sampling path', async () => {
    const format = createMossFormat()
    const plugins = [echo]
    const { parts, driver } = format.beginTurn('What is 2+3?', plugins, 0)
    const forced = driver.afterGeneration(' thinking', { reason: 'max-tokens', tokens: 360 })
    if (forced.type !== 'continue' || forced.rewrite === undefined) throw new Error('expected the forced commands span')
    const prompt = [...format.renderSystem(plugins), ...parts, { text: forced.rewrite, trusted: true }]
    const session = await backend.open()
    try {
      // Hot, flat sampling wanders far from the greedy path: every seed is a different walk through the grammar.
      for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
        await session.reset(prompt)
        const generator = session.generate({
          stop: forced.step.stop,
          constrain: forced.step.constrain,
          maxTokens: forced.step.maxTokens,
          sampling: { temperature: 2, topK: 0, topP: 1, seed, repeatPenalty: 1 },
        })
        let text = ''
        let step = await generator.next()
        while (!step.done) {
          text += step.value
          step = await generator.next()
        }
        expect(step.value, `seed ${seed}: ${JSON.stringify(text)}`).toMatchObject({ reason: 'stop', stop: '<eoc>' })
        expect(step.value.tokens).toBeLessThanOrEqual(MOSS_FORCED_COMMANDS_TOKENS)
        expect(text).toMatch(/^ (None|Calculate\("[^"<\r\n]{1,43}"\))$/u)
      }
    } finally {
      await session.dispose()
    }
  })
})
