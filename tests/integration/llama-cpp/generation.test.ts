import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Token } from 'node-llama-cpp'
import { createLlamaCppBackend } from '../../../src/backends/llama-cpp/index.js'
import type { LlamaCppBackend, LlamaCppSession } from '../../../src/backends/llama-cpp/index.js'
import type { GenerateOutcome, GenerateRequest, PromptPart } from '../../../src/backends/types.js'
import { MossError } from '../../../src/errors.js'
import { getTestModelPath } from '../../helpers/test-model.js'
import { llamaCppHandles } from '../../../src/backends/llama-cpp/handles.js'

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'

const GREEDY = { temperature: 0, repeatPenalty: 1 }
const PROMPT: PromptPart[] = [
  { text: '<|Human|>: ', trusted: true },
  { text: 'what is 2+3?', trusted: false },
  { text: '<eoh>\n<|MOSS|>:', trusted: true },
]
const CALC_GBNF = 'root ::= " " ( "None" | "Calculate(\\"" [0-9+*/().-]+ "\\")" ) "<eoc>"'

async function run(session: LlamaCppSession, request: GenerateRequest): Promise<{ text: string; chunks: string[]; outcome: GenerateOutcome }> {
  const chunks: string[] = []
  const generator = session.generate(request)
  let step = await generator.next()
  while (!step.done) {
    chunks.push(step.value)
    step = await generator.next()
  }
  return { text: chunks.join(''), chunks, outcome: step.value }
}

let backend: LlamaCppBackend
let eoc: Token

beforeAll(async () => {
  backend = await createLlamaCppBackend({ model: await getTestModelPath(), threads: 1, gpu: false, contextSize: 256, maxSessions: 2 })
  eoc = llamaCppHandles(backend).model.tokenize('<eoc>', true)[0] as Token
})
afterAll(async () => {
  await backend?.dispose()
})

describe('llama.cpp backend: transcript', () => {
  it('adds BOS once and keeps part boundaries free of invented spaces', async () => {
    const session = await backend.open()
    try {
      const parts: PromptPart[] = [
        { text: 'hello', trusted: false },
        { text: ' world', trusted: false },
        { text: '\n你好，世界', trusted: false },
        { text: '<eoh>', trusted: true },
      ]
      await session.append(parts)
      const tokens = session.transcriptTokens
      const bos = llamaCppHandles(backend).model.tokens.bos
      expect(tokens.filter((t) => t === bos)).toHaveLength(1)
      expect(tokens[0]).toBe(bos)
      expect(llamaCppHandles(backend).model.detokenize(tokens.slice(1) as Token[], true)).toBe(parts.map((p) => p.text).join(''))
    } finally {
      await session.dispose()
    }
  })

  it('never turns an <eoc> typed by the user into the control token', async () => {
    const session = await backend.open()
    try {
      await session.append([{ text: 'I typed <eoc> here', trusted: false }])
      expect(session.transcriptTokens).not.toContain(eoc)
      await session.append([{ text: '<eoc>', trusted: true }])
      expect(session.transcriptTokens.at(-1)).toBe(eoc)
      expect(session.countTokens([{ text: '<eoc>', trusted: false }])).toBeGreaterThan(1)
    } finally {
      await session.dispose()
    }
  })
})

describe('llama.cpp backend: generation', () => {
  it('stops on a multi-token text marker and never shows part of it', async () => {
    const session = await backend.open()
    try {
      await session.append(PROMPT)
      const free = await run(session, { stop: [], maxTokens: 24, sampling: GREEDY })
      expect(free.outcome.reason).toBe('max-tokens')
      // A marker taken from the middle of what the model writes greedily, long enough to span several tokens.
      const marker = free.text.slice(6, 16)
      expect(session.countTokens([{ text: marker, trusted: false }])).toBeGreaterThan(1)
      await session.reset(PROMPT)
      const stopped = await run(session, { stop: ['<never>', marker], maxTokens: 24, sampling: GREEDY })
      expect(stopped.outcome).toMatchObject({ reason: 'stop', stop: marker })
      expect(stopped.text).toBe(free.text.slice(0, free.text.indexOf(marker)))
      expect(stopped.chunks.join('')).not.toContain(marker.slice(0, 3) + marker.slice(3))
    } finally {
      await session.dispose()
    }
  })

  it('forces a valid command with the span grammar, ends it with the <eoc> control token, and resumes cheaply', async () => {
    const session = await backend.open()
    try {
      await session.append([...PROMPT, { text: ' <|Inner Thoughts|>: None<eot>\n<|Commands|>:', trusted: true }])
      const command = await run(session, {
        stop: ['<eoc>'],
        maxTokens: 40,
        sampling: GREEDY,
        constrain: { trigger: '<|Commands|>:', gbnf: CALC_GBNF },
      })
      expect(command.text).toMatch(/^ (None|Calculate\("[0-9+*/().-]+"\))$/)
      expect(command.outcome).toMatchObject({ reason: 'stop', stop: '<eoc>' })
      expect(session.transcriptTokens.at(-1)).toBe(eoc)

      const forced = await backend.open()
      try {
        await forced.append([...PROMPT, { text: ' <|Commands|>:', trusted: true }])
        const calc = await run(forced, {
          stop: ['<eoc>'],
          maxTokens: 40,
          sampling: GREEDY,
          constrain: { trigger: '<|Commands|>:', gbnf: 'root ::= " Calculate(\\"2+3\\")<eoc>"' },
        })
        expect(calc.text).toBe(' Calculate("2+3")')
        expect(calc.outcome.reason).toBe('stop')

        const results: PromptPart[] = [{ text: '\n<|Results|>:\nCalculate("2+3") => 5\n<eor><|MOSS|>:', trusted: true }]
        const before = forced.stats.evaluated
        await forced.append(results)
        const answer = await run(forced, { stop: ['<eom>'], maxTokens: 8, sampling: GREEDY })
        expect(answer.outcome.tokens).toBeGreaterThan(0)
        // Only the results block and the held-back <eoc> are evaluated, not the whole transcript again.
        expect(forced.stats.evaluated - before).toBe(forced.countTokens(results) + 1)
      } finally {
        await forced.dispose()
      }
    } finally {
      await session.dispose()
    }
  })

  it('evaluates only the new human turn on the next turn', async () => {
    const session = await backend.open()
    try {
      await session.append(PROMPT)
      await run(session, { stop: [], maxTokens: 6, sampling: GREEDY })
      const turn: PromptPart[] = [
        { text: '<eom>\n<|Human|>: ', trusted: true },
        { text: '再算一次 <eoc>', trusted: false },
        { text: '<eoh>\n<|MOSS|>:', trusted: true },
      ]
      const before = session.stats.evaluated
      await session.append(turn)
      await run(session, { stop: [], maxTokens: 4, sampling: GREEDY })
      expect(session.stats.evaluated - before).toBe(session.countTokens(turn) + 1)
    } finally {
      await session.dispose()
    }
  })

  it('reset keeps the common prefix and erases from the first changed token only', async () => {
    const session = await backend.open()
    try {
      await session.append(PROMPT)
      const first = await run(session, { stop: [], maxTokens: 8, sampling: GREEDY })
      const generated: PromptPart = { text: first.text, trusted: true }
      await session.append([{ text: '<eom>\n<|Human|>: long turn to drop<eoh>\n', trusted: true }])
      await run(session, { stop: [], maxTokens: 4, sampling: GREEDY })
      const reusedBefore = session.stats.reused
      const evaluatedBefore = session.stats.evaluated
      const shorter: PromptPart[] = [...PROMPT, generated, { text: '<eom>\n<|Human|>: hi<eoh>\n', trusted: true }]
      await session.reset(shorter)
      const keptTokens = 1 + session.countTokens([...PROMPT]) + first.outcome.tokens
      expect(session.stats.reused - reusedBefore).toBeGreaterThanOrEqual(keptTokens)
      await run(session, { stop: [], maxTokens: 2, sampling: GREEDY })
      expect(session.stats.evaluated - evaluatedBefore).toBeLessThanOrEqual(session.tokenCount - 2 - keptTokens + 1)
    } finally {
      await session.dispose()
    }
  })

  it('stops when the signal aborts and keeps what was generated', async () => {
    const session = await backend.open()
    try {
      await session.append(PROMPT)
      const controller = new AbortController()
      const generator = session.generate({ stop: [], maxTokens: 50, sampling: GREEDY, signal: controller.signal })
      let step = await generator.next()
      controller.abort()
      while (!step.done) step = await generator.next()
      expect(step.value.reason).toBe('aborted')
      expect(step.value.tokens).toBeLessThan(50)
      expect(session.tokenCount).toBe(1 + session.countTokens(PROMPT) + step.value.tokens)
    } finally {
      await session.dispose()
    }
  })
})

describe('llama.cpp backend: sessions', () => {
  it('refuses a second generation on a session that is generating with MOSS_ERR_SESSION_BUSY', async () => {
    const session = await backend.open()
    try {
      await session.append(PROMPT)
      const first = session.generate({ stop: [], maxTokens: 4, sampling: GREEDY })
      await first.next()
      const busy = await session.generate({ stop: [], maxTokens: 1 }).next().catch((e: unknown) => e)
      expect(MossError.isInstance(busy) && busy.code).toBe('MOSS_ERR_SESSION_BUSY')
      await first.return({ reason: 'aborted', tokens: 0 })
      expect((await run(session, { stop: [], maxTokens: 2, sampling: GREEDY })).outcome.tokens).toBe(2)
    } finally {
      await session.dispose()
    }
  })

  it('runs two sessions concurrently on one context and queues a third until one closes', async () => {
    const a = await backend.open()
    const b = await backend.open()
    await a.append(PROMPT)
    await b.append([{ text: '<|Human|>: 你好<eoh>\n<|MOSS|>:', trusted: true }])
    const [ra, rb] = await Promise.all([
      run(a, { stop: [], maxTokens: 12, sampling: GREEDY }),
      run(b, { stop: [], maxTokens: 12, sampling: GREEDY }),
    ])
    expect(ra.outcome).toEqual({ reason: 'max-tokens', tokens: 12 })
    expect(rb.outcome).toEqual({ reason: 'max-tokens', tokens: 12 })

    const timedOut = await backend.open({ timeoutMs: 50 }).catch((error: unknown) => error)
    expect(MossError.isInstance(timedOut) && timedOut.code).toBe('MOSS_ERR_BACKEND_TIMEOUT')
    const waiting = backend.open({ timeoutMs: 10_000 })
    await a.dispose()
    const c = await waiting
    await c.append(PROMPT)
    expect((await run(c, { stop: [], maxTokens: 3, sampling: GREEDY })).outcome.tokens).toBe(3)
    await Promise.all([b.dispose(), c.dispose()])
  })

  it('survives a full context: overflow is a typed error and a reset with a shorter transcript keeps going', async () => {
    const small = await createLlamaCppBackend({ model: await getTestModelPath(), threads: 1, gpu: false, contextSize: 48, maxSessions: 1 })
    try {
      const session = await small.open()
      await session.append(PROMPT)
      const filled = await run(session, { stop: [], maxTokens: 10_000, sampling: GREEDY })
      expect(filled.outcome.reason).toBe('max-tokens')
      expect(session.tokenCount).toBe(session.contextSize)
      const overflow = await session.append([{ text: 'more text that does not fit', trusted: false }]).catch((e: unknown) => e)
      expect(MossError.isInstance(overflow) && overflow.code).toBe('MOSS_ERR_CONTEXT_OVERFLOW')
      await session.reset(PROMPT)
      const again = await run(session, { stop: [], maxTokens: 5, sampling: GREEDY })
      expect(again.outcome).toEqual({ reason: 'max-tokens', tokens: 5 })
      await session.dispose()
    } finally {
      await small.dispose()
    }
  })
})
