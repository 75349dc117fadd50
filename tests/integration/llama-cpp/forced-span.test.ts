/**
 * A span that is nothing but fixed text closed by an end-of-generation marker (a scripted call, a forced thought) on
 * the 151,936-token Qwen3 vocabulary: the backend appends the text and the marker in one batch and samples nothing —
 * no token is left for the model to choose, and sampling the marker under the grammar would make llama.cpp check
 * the whole vocabulary whenever the model prefers another token. The marker's token is held back like any stop's, so
 * the resume after the results evaluates exactly what was appended plus that token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { probeContext } from '../../../bench/batch-probe.js'
import { llamaCppHandles } from '../../../src/backends/llama-cpp/handles.js'
import { createLlamaCppBackend } from '../../../src/backends/llama-cpp/index.js'
import type { LlamaCppBackend } from '../../../src/backends/llama-cpp/index.js'
import type { GenerateOutcome, GenerateRequest, ModelSession } from '../../../src/backends/types.js'
import { realVocabModelPath } from '../../../tools/gguf/real-vocab-models.js'

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'

const CALL = '<tool_call>\n{"name": "Calculate", "arguments": {"expression": "2+3"}}\n</tool_call>'
const GBNF = `root ::= ${JSON.stringify(`${CALL}<|im_end|>`)}\n`
const STOPS = ['<|im_end|>', '<|endoftext|>']
const PROMPT = [
  { text: '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n', trusted: true },
  { text: 'What is 2+3?', trusted: false },
  { text: '<|im_end|>\n<|im_start|>assistant\n', trusted: true },
]

let backend: LlamaCppBackend
beforeAll(async () => {
  backend = await createLlamaCppBackend({ model: await realVocabModelPath('qwen3'), threads: 1, gpu: false, contextSize: 1024, maxSessions: 1 })
}, 180_000)
afterAll(async () => {
  await backend?.dispose()
})

async function run(session: ModelSession, request: GenerateRequest): Promise<{ text: string; outcome: GenerateOutcome }> {
  const iterator = session.generate(request)
  let text = ''
  for (;;) {
    const next = await iterator.next()
    if (next.done === true) return { text, outcome: next.value }
    text += next.value
  }
}

describe('a span of fixed text only', () => {
  it('is appended whole with its closing marker, nothing sampled, and the resume evaluates only what was appended', async () => {
    const session = await backend.open()
    try {
      await session.append(PROMPT)
      const promptTokens = session.tokenCount
      const before = session.stats
      // Counts node-llama-cpp's native decodes and samplings (bench/batch-probe.ts reaches its internal handle).
      const probe = probeContext(llamaCppHandles(backend).context)
      if (!probe.attached) throw new Error('the batch probe no longer finds node-llama-cpp\'s native context')
      probe.reset()
      const call = await run(session, { stop: STOPS, maxTokens: 64, sampling: { seed: 1 }, constrain: { trigger: '<|im_start|>assistant\n', gbnf: GBNF } })
      const written = session.countTokens([{ text: `${CALL}<|im_end|>`, trusted: true }])
      expect(call.text).toBe(CALL)
      expect(call.outcome).toEqual({ reason: 'stop', stop: '<|im_end|>', tokens: written })
      expect(session.tokenCount).toBe(promptTokens + written)
      expect(session.stats.generated - before.generated).toBe(written)
      // Only the prompt counts as evaluated input; the forced tokens are output.
      expect(session.stats.evaluated - before.evaluated).toBe(promptTokens)
      // One decode of the prompt and the forced text (the marker held back), and no sampling at all.
      expect(probe.read()).toMatchObject({ decodes: 1, samples: 0, batchTokens: promptTokens + written - 1 })

      const results = [{ text: '\n<|im_start|>user\n<tool_response>\n5\n</tool_response><|im_end|>\n<|im_start|>assistant\n', trusted: true }]
      await session.append(results)
      const resumed = session.stats.evaluated
      const answer = await run(session, { stop: STOPS, maxTokens: 4, sampling: { seed: 1 } })
      expect(answer.outcome.tokens).toBeGreaterThan(0)
      expect(session.stats.evaluated - resumed).toBe(session.countTokens(results) + 1)
    } finally {
      await session.dispose()
    }
  }, 120_000)

  it('still leaves the last token to the model when the grammar goes on after the fixed text', async () => {
    const session = await backend.open()
    try {
      await session.append(PROMPT)
      const open = 'root ::= "<tool_call>\\n{\\"name\\": \\"Calculate\\", \\"arguments\\": {\\"expression\\": \\"" [0-9] "\\"}}\\n</tool_call><|im_end|>"\n'
      const probe = probeContext(llamaCppHandles(backend).context)
      probe.reset()
      const call = await run(session, { stop: STOPS, maxTokens: 64, sampling: { seed: 1 }, constrain: { trigger: '<|im_start|>assistant\n', gbnf: open } })
      expect(call.outcome.reason).toBe('stop')
      expect(probe.read().samples).toBeGreaterThan(0)
      expect(call.text).toMatch(/^<tool_call>\n\{"name": "Calculate", "arguments": \{"expression": "[0-9]"\}\}\n<\/tool_call>$/)
    } finally {
      await session.dispose()
    }
  }, 120_000)
})
