/**
 * The bundled offline model (models/tiny-moss.gguf) through the real agent loop: real generation emits a command,
 * the real calculator runs in its child process, the answer generation resumes on the same KV cache and repeats
 * the value, and only the appended tokens are evaluated.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { calculator, equationSolver } from '../../../plugins/index.js'
import { createAgent } from '../../../src/agent/index.js'
import type { Agent, AgentEvent } from '../../../src/agent/types.js'
import type { ModelBackend, ModelSession } from '../../../src/backends/types.js'
import { createLlamaCppBackend, type LlamaCppBackend } from '../../../src/backends/llama-cpp/index.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'

const MODEL = fileURLToPath(new URL('../../../models/tiny-moss.gguf', import.meta.url))

/** Keeps the model session the agent opens, to read its token counters around a turn. */
function capturing(backend: ModelBackend): { backend: ModelBackend; last: () => ModelSession } {
  let captured: ModelSession | undefined
  return {
    backend: {
      description: backend.description,
      async open(options) {
        captured = await backend.open(options)
        return captured
      },
      dispose: () => backend.dispose(),
    },
    last: () => {
      if (!captured) throw new TypeError('no session was opened')
      return captured
    },
  }
}

const ofType = <T extends AgentEvent['type']>(events: readonly AgentEvent[], type: T) =>
  events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type)

// The model is committed (models/tiny-moss.gguf); the skip only covers a checkout that pruned models/ to save space.
describe.skipIf(!existsSync(MODEL))('tiny-moss model', () => {
  let llamaBackend: LlamaCppBackend
  let agent: Agent
  let wrapped: ReturnType<typeof capturing>

  beforeAll(async () => {
    // No `model` option: the backend must find the bundled model by itself.
    llamaBackend = await createLlamaCppBackend({ threads: 1, gpu: false, maxSessions: 1, sampling: { temperature: 0 } })
    wrapped = capturing(llamaBackend)
    const search = definePlugin({
      name: 'search',
      command: 'Search',
      description: 'Web search (not reached in these tests)',
      parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
      label: 'Web search',
      run: () => '[]',
    })
    agent = createAgent({ backend: wrapped.backend, plugins: [search, calculator(), equationSolver()], sampling: { temperature: 0 } })
  })

  afterAll(async () => {
    await agent?.dispose()
    await llamaBackend?.dispose()
  })

  async function calculatorTurn(question: string, expression: string, value: string): Promise<void> {
    const session = await agent.createSession()
    try {
      const model = wrapped.last()
      const before = { ...model.stats, tokens: model.tokenCount }
      const reply = await session.ask(question)
      const after = { ...model.stats, tokens: model.tokenCount }

      const calls = ofType(reply.events, 'tool-call')
      expect(calls.map((c) => [c.name, c.input])).toEqual([['Calculate', expression]])
      // The real calculator ran in its child process and produced the value.
      expect(ofType(reply.events, 'tool-result').map((r) => r.output)).toEqual([value])
      // The answer generation resumed after the results and repeats the value.
      expect(reply.text).toContain(value)

      // Every token was evaluated once: the system prefix (appended when the session opened, evaluated lazily at
      // the first generation), the human turn and the results block, give or take the held-back last sampled token
      // of a generation and the turn-closing newline. Resuming after the calculator did not re-evaluate the prefix,
      // the question or the generated command (that would at least double the count).
      const evaluated = after.evaluated - before.evaluated
      const generated = after.generated - before.generated
      const appended = after.tokens - before.tokens - generated
      expect(appended).toBeGreaterThan(0)
      expect(evaluated).toBeGreaterThanOrEqual(before.tokens + appended - 2)
      expect(evaluated).toBeLessThanOrEqual(before.tokens + appended + 2)
    } finally {
      await session.dispose()
    }
  }

  it('answers an English calculation by calling the real calculator', async () => {
    await calculatorTurn('What is 23*47?', '23*47', '1081')
  })

  it('answers a Chinese calculation by calling the real calculator', async () => {
    await calculatorTurn('帮我算一下56*78', '56*78', '4368')
  })

  it('reads full-width digits, × and ÷ as the ASCII it was trained on (the input map in its GGUF)', async () => {
    const tokensOf = async (text: string): Promise<readonly number[]> => {
      const session = await llamaBackend.open()
      try {
        await session.append([{ text, trusted: false }])
        return session.transcriptTokens
      } finally {
        await session.dispose()
      }
    }
    expect(await tokensOf('３×４÷２ 等于多少？')).toEqual(await tokensOf('3*4/2 等于多少？'))
    expect(await tokensOf('x²－5x＋6＝0')).toEqual(await tokensOf('x^2-5x+6=0'))
    // Full-width punctuation the vocabulary has pieces for is read as trained.
    expect(await tokensOf('多少？')).not.toEqual(await tokensOf('多少?'))
    await calculatorTurn('３×４÷２ 等于多少？', '3*4/2', '6.0')
  })

  it('calls nothing for a greeting', async () => {
    const session = await agent.createSession()
    try {
      const reply = await session.ask('Hello!')
      expect(ofType(reply.events, 'tool-call')).toEqual([])
      expect(session.turns[0]?.commands?.trim()).toBe('None')
      expect(reply.text.trim().length).toBeGreaterThan(0)
    } finally {
      await session.dispose()
    }
  })
})
