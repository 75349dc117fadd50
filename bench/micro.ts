/**
 * The first measurements of the local backend (kept from the first bench): decoding speed of the backend's
 * `generate` against a raw `sequence.evaluate` loop on the same prompt (greedy, no grammar, no agent), and tokens
 * evaluated on a tool resume against a full re-evaluation of the transcript.
 */
import type { Token } from 'node-llama-cpp'
import type { PromptPart } from '../src/backends/types.js'
import type { BenchEnv } from './bench-env.js'
import { median } from './metrics.js'

/** Results of {@link measureMicro}. */
export interface MicroResult {
  readonly tokens: number
  readonly rounds: number
  /** Median decoding tokens/s of the raw loop and the backend. */
  readonly rawTokensPerSecond: number
  readonly backendTokensPerSecond: number
  /** Tokens the backend evaluated to resume after a results block, and that block's size. */
  readonly resumeEvaluated: number
  readonly resumeBlockTokens: number
  readonly resumeMs: number
  /** The same transcript evaluated from scratch. */
  readonly naiveEvaluated: number
  readonly naiveMs: number
}

const GREEDY = { temperature: 0, repeatPenalty: 1 }
const NEVER = '<never-produced>'
const PROMPT: PromptPart[] = [
  { text: 'You are MOSS. '.repeat(20) + '\n<|Human|>: ', trusted: true },
  { text: 'What is 2+3? 请算一下。', trusted: false },
  { text: '<eoh>\n<|MOSS|>:', trusted: true },
]

/** Runs the micro measurements on the env's backend (its only session must be free). */
export async function measureMicro(env: BenchEnv, genTokens = 256, rounds = 3): Promise<MicroResult> {
  const rawContext = await env.model.createContext({ contextSize: env.contextSize, threads: env.threads, flashAttention: false })
  const rawSequence = rawContext.getSequence()
  const session = await env.backend.open()
  try {
    await session.append(PROMPT)
    const promptTokens = session.transcriptTokens
    const rawRates: number[] = []
    const backendRates: number[] = []
    for (let round = 0; round < rounds; round++) {
      await rawSequence.clearHistory()
      let count = 0
      let start = performance.now()
      for await (const _token of rawSequence.evaluate([...promptTokens] as Token[], { temperature: 0, topK: 40, topP: 0.8 })) {
        if (count === 0) start = performance.now() // prompt processing is excluded on both sides
        if (++count >= genTokens) break
      }
      rawRates.push((count - 1) / ((performance.now() - start) / 1000))

      await session.reset(PROMPT)
      count = 0
      for await (const _chunk of session.generate({ stop: [NEVER], maxTokens: genTokens, sampling: GREEDY })) {
        if (count === 0) start = performance.now()
        count++
      }
      const tokens = session.tokenCount - promptTokens.length
      backendRates.push((tokens - 1) / ((performance.now() - start) / 1000))
    }

    // Tool resume: generate a command, append a results block, generate again.
    await session.reset(PROMPT)
    for await (const _chunk of session.generate({ stop: [NEVER], maxTokens: 24, sampling: GREEDY })) void _chunk
    const results: PromptPart[] = [{ text: '\n<|Results|>:\nCalculate("2+3") => 5\n<eor><|MOSS|>:', trusted: true }]
    const before = session.stats.evaluated
    await session.append(results)
    let t0 = performance.now()
    for await (const _chunk of session.generate({ stop: [], maxTokens: 1, sampling: GREEDY })) void _chunk
    const resumeMs = performance.now() - t0
    const resumeEvaluated = session.stats.evaluated - before
    const naiveEvaluated = session.tokenCount - 1
    await rawSequence.clearHistory()
    t0 = performance.now()
    for await (const _token of rawSequence.evaluate(session.transcriptTokens.slice(0, -1) as Token[], { temperature: 0 })) break
    const naiveMs = performance.now() - t0
    return {
      tokens: genTokens,
      rounds,
      rawTokensPerSecond: median(rawRates) ?? 0,
      backendTokensPerSecond: median(backendRates) ?? 0,
      resumeEvaluated,
      resumeBlockTokens: session.countTokens(results),
      resumeMs,
      naiveEvaluated,
      naiveMs,
    }
  } finally {
    await session.dispose()
    await rawContext.dispose()
  }
}
