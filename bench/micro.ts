/**
 * Paired measurements of the local backend against the bare engine, robust to the noise of a shared machine:
 *
 * - decoding: the backend's `generate` and a raw `sequence.evaluate` loop produce the same number of tokens from the
 *   same prompt with the dialogue's sampling (seed, penalties, window) under the same never-ending answer grammar. The two alternate (their order flips every
 *   round) after a discarded warm-up round, each round gives one backend/raw ratio, and the median ratio is
 *   `generation_vs_raw`. Load that hits one side of one round moves one sample, not the result.
 * - tool resume: tokens evaluated after a results block against a full re-evaluation of the transcript.
 */
import type { Token } from 'node-llama-cpp'
import type { PromptPart } from '../src/backends/types.js'
import type { BenchEnv } from './bench-env.js'
import { MOSS_ROLE } from '../src/formats/index.js'
import { ENDLESS_ANSWER_GRAMMAR } from './dialogue.js'
import { median } from './metrics.js'
import { rawGenerate } from './raw-generate.js'

/** Results of {@link measureMicro}. */
export interface MicroResult {
  readonly tokens: number
  /** Measured rounds (the warm-up round excluded). */
  readonly rounds: number
  /** Median decoding tokens/s of the raw loop and the backend. */
  readonly rawTokensPerSecond: number
  readonly backendTokensPerSecond: number
  /** Median over rounds of backend tok/s / raw tok/s of the same round. */
  readonly pairedRatio: number
  /** Every round's ratio, for the spread. */
  readonly roundRatios: readonly number[]
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

/** Decoding rate from the first token on (prompt processing excluded on both sides). */
function rate(tokens: number, decodeMs: number): number {
  return tokens > 1 && decodeMs > 0 ? (tokens - 1) / (decodeMs / 1000) : 0
}

/** Runs the micro measurements on the env's backend (its only session must be free). */
export async function measureMicro(env: BenchEnv, genTokens = 128, rounds = 7): Promise<MicroResult> {
  const rawContext = await env.model.createContext({ contextSize: env.contextSize, threads: env.threads, flashAttention: false })
  const rawSequence = rawContext.getSequence()
  const session = await env.backend.open()
  try {
    await session.append(PROMPT)
    const promptTokens = session.transcriptTokens as Token[]

    // Both sides decode under the same never-ending answer grammar, so that a trained model cannot stop early.
    const grammar = await env.grammars.get(ENDLESS_ANSWER_GRAMMAR, [NEVER])
    const raw = async (): Promise<number> => {
      await rawSequence.clearHistory()
      const transcript = [...promptTokens]
      const gen = await rawGenerate(env.model, rawSequence, promptTokens, { grammar, sampling: env.sampling, maxTokens: genTokens, stops: [NEVER], transcript })
      return rate(gen.tokens.length, gen.decodeMs)
    }
    const backend = async (): Promise<number> => {
      await session.reset(PROMPT)
      let count = 0
      let first = 0
      const constrain = { trigger: MOSS_ROLE.answer, gbnf: ENDLESS_ANSWER_GRAMMAR }
      for await (const _chunk of session.generate({ stop: [NEVER], maxTokens: genTokens, sampling: env.sampling, constrain })) {
        if (count === 0) first = performance.now()
        count++
      }
      const end = performance.now()
      // Chunks can hold several tokens (held-back text): count tokens, time from the first chunk.
      return rate(session.tokenCount - promptTokens.length, end - first)
    }

    const rawRates: number[] = []
    const backendRates: number[] = []
    const roundRatios: number[] = []
    for (let round = 0; round <= rounds; round++) {
      const rawFirst = round % 2 === 0
      const a = rawFirst ? await raw() : await backend()
      const b = rawFirst ? await backend() : await raw()
      const [r, g] = rawFirst ? [a, b] : [b, a]
      if (round === 0) continue // warm-up: caches, page faults, first-use allocations
      rawRates.push(r)
      backendRates.push(g)
      if (r > 0) roundRatios.push(g / r)
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
      pairedRatio: median(roundRatios) ?? 0,
      roundRatios,
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
