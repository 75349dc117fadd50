/**
 * Sessions of one backend generating at the same time (decode rounds, chunked prompts): correctness only, never speed
 * (speed is `npm run bench`). The random test model is greedy-decoded; its text is compared between a session alone and
 * the same session among others, which holds because a batch evaluates each sequence's rows independently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { llamaCppHandles } from '../../../src/backends/llama-cpp/handles.js'
import { createLlamaCppBackend } from '../../../src/backends/llama-cpp/index.js'
import type { LlamaCppBackend, LlamaCppSession } from '../../../src/backends/llama-cpp/index.js'
import type { GenerateOutcome, GenerateRequest, PromptPart } from '../../../src/backends/types.js'
import { probeContext } from '../../../bench/batch-probe.js'
import { getTestModelPath } from '../../helpers/test-model.js'

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'

const GREEDY = { temperature: 0, repeatPenalty: 1 }
const TOKENS = 24
const NEVER = '<never-produced>'

function prompt(i: number): PromptPart[] {
  return [
    { text: '<|Human|>: ', trusted: true },
    { text: `tell me story number ${i}, 第${i}个故事`, trusted: false },
    { text: '<eoh>\n<|MOSS|>:', trusted: true },
  ]
}

async function run(session: LlamaCppSession, request: GenerateRequest): Promise<{ text: string; outcome: GenerateOutcome }> {
  let text = ''
  const generator = session.generate(request)
  let step = await generator.next()
  while (!step.done) {
    text += step.value
    step = await generator.next()
  }
  return { text, outcome: step.value }
}

async function withSession<T>(i: number, body: (session: LlamaCppSession) => Promise<T>): Promise<T> {
  const session = await backend.open()
  try {
    await session.append(prompt(i))
    return await body(session)
  } finally {
    await session.dispose()
  }
}

let backend: LlamaCppBackend

beforeAll(async () => {
  backend = await createLlamaCppBackend({ model: await getTestModelPath(), threads: 1, gpu: false, contextSize: 1024, maxSessions: 4, promptChunkTokens: 16 })
})
afterAll(async () => {
  await backend?.dispose()
})

describe('llama.cpp backend: sessions generating at once', () => {
  it('gives each session the same greedy text as alone, with the sessions sharing native decodes', async () => {
    const request = { stop: [NEVER], maxTokens: TOKENS, sampling: GREEDY }
    const alone: string[] = []
    for (let i = 0; i < 3; i++) alone.push((await withSession(i, (s) => run(s, request))).text)
    const probe = probeContext(llamaCppHandles(backend).context)
    probe.reset()
    const together = await Promise.all([0, 1, 2].map((i) => withSession(i, (s) => run(s, request))))
    expect(together.map((r) => r.text)).toEqual(alone)
    expect(together.map((r) => r.outcome)).toEqual(together.map(() => ({ reason: 'max-tokens', tokens: TOKENS })))
    // Three sessions of TOKENS tokens each: TOKENS shared rounds, where one decode per token would be 3×. A session that
    // opens after another started generating paces its prompt (it sits out one round to time theirs, then chunks of 4,
    // 8, …: lockstep-evaluate.ts), so it starts, and ends, a few rounds later.
    if (probe.attached) expect(probe.read().decodes).toBeLessThanOrEqual(TOKENS + 8)
  })

  it('lets the others go on when one is aborted mid-generation', async () => {
    const controller = new AbortController()
    const results = await Promise.all(
      [0, 1, 2].map((i) =>
        withSession(i, async (session) => {
          let text = ''
          const request = { stop: [NEVER], maxTokens: TOKENS, sampling: GREEDY, ...(i === 1 ? { signal: controller.signal } : {}) }
          const generator = session.generate(request)
          let step = await generator.next()
          let chunks = 0
          while (!step.done) {
            text += step.value
            if (i === 1 && ++chunks === 3) controller.abort()
            step = await generator.next()
          }
          return { text, outcome: step.value }
        }),
      ),
    )
    expect(results[1]?.outcome.reason).toBe('aborted')
    expect(results[1]?.outcome.tokens).toBeLessThan(TOKENS)
    expect(results[0]?.outcome).toEqual({ reason: 'max-tokens', tokens: TOKENS })
    expect(results[2]?.outcome).toEqual({ reason: 'max-tokens', tokens: TOKENS })
  })

  it('finishes both a session processing a long prompt in chunks and one generating meanwhile', async () => {
    const long: PromptPart[] = [{ text: `${'这是一个很长的问题。 A long question, word after word. '.repeat(10)}<eoh>\n<|MOSS|>:`, trusted: false }]
    const request = { stop: [NEVER], maxTokens: TOKENS, sampling: GREEDY }
    const aloneLong = await withSession(9, async (session) => {
      await session.append(long)
      return run(session, { ...request, maxTokens: 4 })
    })
    const probe = probeContext(llamaCppHandles(backend).context)
    probe.reset()
    let promptTokens = 0
    const [generating, prompted] = await Promise.all([
      withSession(0, (s) => run(s, { ...request, maxTokens: 64 })),
      withSession(9, async (session) => {
        await session.append(long)
        promptTokens = session.tokenCount
        expect(promptTokens).toBeGreaterThan(200)
        // Starts once the first session is generating, so that its prompt goes in chunks between the other's tokens.
        await new Promise((resolve) => setImmediate(resolve))
        return run(session, { ...request, maxTokens: 4 })
      }),
    ])
    expect(generating.outcome).toEqual({ reason: 'max-tokens', tokens: 64 })
    expect(prompted.outcome).toEqual({ reason: 'max-tokens', tokens: 4 })
    expect(prompted.text).toBe(aloneLong.text)
    // The long prompt went in 16-token chunks (one per round), not in one decode.
    if (probe.attached) expect(probe.read().decodes).toBeGreaterThanOrEqual(Math.floor(promptTokens / 16))
  })
})
