/**
 * Cost of grammar-constrained call spans on a large vocabulary (issue 18, item 4): the random-weight model with
 * Qwen3's real 151,936-token vocabulary (tools/gguf/real-vocab-models.ts), a ChatML turn, and the backend generating
 * either free text or a `<tool_call>` JSON span whose argument never closes (so both sides decode the same number of
 * tokens). Rounds alternate the order of the two after a discarded warm-up; each round gives one
 * constrained ÷ unconstrained time per token (whole turn: user-turn evaluation and every generated token), and the
 * median is `grammar_cost_151k` (goal ≤ 2). The backend appends a span's fixed opening text in one batch instead of
 * sampling it (src/backends/llama-cpp/forced-prefix.ts), so its first chunk comes before any evaluation.
 *
 * The same constrained span is also decoded by a bare node-llama-cpp loop (`sequence.evaluate` with the same
 * compiled grammar), which separates the cost of node-llama-cpp's grammar evaluation from the backend's own.
 */
import type { Token } from 'node-llama-cpp'
import { stat } from 'node:fs/promises'
import { createLlamaCppBackend } from '../src/backends/llama-cpp/index.js'
import { llamaCppHandles } from '../src/backends/llama-cpp/handles.js'
import type { GpuChoice } from '../src/backends/llama-cpp/device.js'
import type { LlamaCppSession } from '../src/backends/llama-cpp/index.js'
import type { PromptPart, SamplingOptions } from '../src/backends/types.js'
import { realVocabModelPath } from '../tools/gguf/real-vocab-models.js'
import { median } from './metrics.js'
import { GrammarCache, rawGenerate } from './raw-generate.js'

/** Results of {@link measureGrammarCost}. */
export interface GrammarCostResult {
  readonly model: string
  readonly fileBytes: number
  readonly vocabSize: number
  /** Tokens decoded per generation, and measured rounds (warm-up excluded). */
  readonly tokens: number
  readonly rounds: number
  /** Median tokens/s of whole turns: the backend without and with the call grammar, and the bare loop with it. */
  readonly unconstrainedTokensPerSecond: number
  readonly constrainedTokensPerSecond: number
  readonly rawConstrainedTokensPerSecond: number
  /** Median over rounds of constrained ÷ unconstrained time per token (the ratio). */
  readonly pairedRatio: number
  readonly roundRatios: readonly number[]
  /** Median time from `generate` to the first token of a turn (the user turn's evaluation included), ms. */
  readonly firstTokenMs: { readonly unconstrained: number; readonly constrained: number }
}

/** The ratio's goal. */
export const GRAMMAR_COST_GOAL = { key: 'grammar_cost_151k', goal: '≤ 2.0', met: (v: number): boolean => v <= 2 } as const

const ASSISTANT = '<|im_start|>assistant\n'
/** A Hermes/Qwen tool call whose argument never ends: every generated token is inside the grammar. */
const CALL_GBNF = 'root ::= "<tool_call>\\n{\\"name\\": \\"Calculate\\", \\"arguments\\": {\\"expression\\": \\"" rest\nrest ::= [^"\\\\<\\n] rest\n'
const NEVER = '<never-produced>'
const SYSTEM: PromptPart[] = [
  { text: '<|im_start|>system\nYou are a helpful assistant with a calculator. Call it with <tool_call> JSON.<|im_end|>\n', trusted: true },
]

function userTurn(round: number, kind: string): PromptPart[] {
  return [
    { text: '<|im_start|>user\n', trusted: true },
    { text: `Round ${round} (${kind}): what is 23*47? 请算一下 23 乘以 47。`, trusted: false },
    { text: `<|im_end|>\n${ASSISTANT}`, trusted: true },
  ]
}

/** Runs one turn; returns its tokens per second (from the `generate` call) and the time to the first chunk. */
async function turn(session: LlamaCppSession, parts: readonly PromptPart[], tokens: number, sampling: SamplingOptions, constrained: boolean): Promise<{ rate: number; firstMs: number }> {
  await session.reset(SYSTEM)
  await session.append(parts)
  const before = session.tokenCount
  const started = performance.now()
  let first = 0
  const constrain = constrained ? { trigger: ASSISTANT, gbnf: CALL_GBNF } : undefined
  for await (const _chunk of session.generate({ stop: [NEVER], maxTokens: tokens, sampling, ...(constrain ? { constrain } : {}) })) {
    if (first === 0) first = performance.now()
  }
  const end = performance.now()
  // Whole-turn time per token (the user turn's evaluation included on both sides): a span's forced opening text is
  // evaluated in the same batch as the user turn, so timing from the first chunk would flatter it.
  const generated = session.tokenCount - before
  return { rate: generated > 0 ? generated / ((end - started) / 1000) : 0, firstMs: first - started }
}

/** Measures the grammar cost on the 151k-vocabulary model (written to `.cache/models/` on first use). */
export async function measureGrammarCost(options: { tokens: number; rounds: number; threads: number; sampling: SamplingOptions; gpu?: GpuChoice }): Promise<GrammarCostResult> {
  const path = await realVocabModelPath('qwen3')
  const backend = await createLlamaCppBackend({ model: path, threads: options.threads, gpu: options.gpu ?? false, contextSize: 1024, maxSessions: 1 })
  const session = await backend.open()
  const { llama, model } = llamaCppHandles(backend)
  const rawContext = await model.createContext({ contextSize: 1024, threads: options.threads, flashAttention: false })
  const rawSequence = rawContext.getSequence()
  try {
    const grammar = await new GrammarCache(llama, model).get(CALL_GBNF, [NEVER])
    const raw = async (round: number): Promise<number> => {
      await rawSequence.clearHistory()
      const input = [...SYSTEM, ...userTurn(round, 'raw')].flatMap((p) => model.tokenize(p.text, p.trusted)) as Token[]
      const gen = await rawGenerate(model, rawSequence, input, { grammar, sampling: options.sampling, maxTokens: options.tokens, stops: [NEVER], transcript: [...input] })
      const ms = gen.firstTokenMs + gen.decodeMs
      return gen.tokens.length > 0 && ms > 0 ? gen.tokens.length / (ms / 1000) : 0
    }
    const free: number[] = []
    const forced: number[] = []
    const bare: number[] = []
    const freeFirst: number[] = []
    const forcedFirst: number[] = []
    const ratios: number[] = []
    for (let round = 0; round <= options.rounds; round++) {
      const forcedFirstInRound = round % 2 === 1
      const run = (constrained: boolean): Promise<{ rate: number; firstMs: number }> =>
        turn(session, userTurn(round, constrained ? 'call' : 'free'), options.tokens, options.sampling, constrained)
      const a = await run(forcedFirstInRound)
      const b = await run(!forcedFirstInRound)
      const [u, c] = forcedFirstInRound ? [b, a] : [a, b]
      const r = await raw(round)
      if (round === 0) continue // warm-up: grammar compilation, first-use allocations
      free.push(u.rate)
      forced.push(c.rate)
      bare.push(r)
      freeFirst.push(u.firstMs)
      forcedFirst.push(c.firstMs)
      if (c.rate > 0) ratios.push(u.rate / c.rate)
    }
    return {
      model: path.split('/').at(-1) ?? path,
      fileBytes: (await stat(path)).size,
      vocabSize: Number((model.fileInfo.metadata as unknown as { qwen3?: { vocab_size?: number } }).qwen3?.vocab_size ?? 0),
      tokens: options.tokens,
      rounds: options.rounds,
      unconstrainedTokensPerSecond: median(free) ?? 0,
      constrainedTokensPerSecond: median(forced) ?? 0,
      rawConstrainedTokensPerSecond: median(bare) ?? 0,
      pairedRatio: median(ratios) ?? 0,
      roundRatios: ratios,
      firstTokenMs: { unconstrained: median(freeFirst) ?? 0, constrained: median(forcedFirst) ?? 0 },
    }
  } finally {
    await rawContext.dispose()
    await session.dispose()
    await backend.dispose()
  }
}

/** The report lines of a measurement. */
export function grammarCostLines(g: GrammarCostResult): string[] {
  const n = (v: number, d = 0): string => (Number.isFinite(v) ? v.toFixed(d) : '–')
  return [
    `## grammar-constrained call spans — ${g.model}, ${g.vocabSize} tokens, ${n(g.fileBytes / 2 ** 20, 1)} MiB`,
    '',
    `${g.tokens} tokens per turn, ${g.rounds} interleaved rounds after a warm-up (medians; tok/s over the whole turn):`,
    `  backend, free text        ${n(g.unconstrainedTokensPerSecond)} tok/s, first token ${n(g.firstTokenMs.unconstrained, 1)} ms`,
    `  backend, <tool_call> span ${n(g.constrainedTokensPerSecond)} tok/s, first token ${n(g.firstTokenMs.constrained, 1)} ms`,
    `  bare node-llama-cpp sampling every token of the span ${n(g.rawConstrainedTokensPerSecond)} tok/s`,
    `  ${GRAMMAR_COST_GOAL.key} ${n(g.pairedRatio, 3)} (goal ${GRAMMAR_COST_GOAL.goal}: ${GRAMMAR_COST_GOAL.met(g.pairedRatio) ? 'met' : 'MISSED'}), rounds ${g.roundRatios.map((r) => n(r, 2)).join(' ')}`,
    '',
  ]
}
