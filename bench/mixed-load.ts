/**
 * Mixed load: two sessions generate while a third processes a long prompt (about 2,000 tokens) on the same backend.
 * What a user feels is the gap between a generating session's tokens while the long prompt runs: the ratio p99/p50 of
 * those gaps says whether the long prompt stalls the others (one big decode) or is fed in chunks between their tokens
 * (see promptChunkTokens and src/backends/llama-cpp/chunk-sizing.ts).
 */
import { MOSS_ROLE } from '../src/formats/index.js'
import { createLlamaCppBackend } from '../src/backends/llama-cpp/index.js'
import type { LlamaCppSession } from '../src/backends/llama-cpp/index.js'
import type { PromptPart } from '../src/backends/types.js'
import type { BenchEnv } from './bench-env.js'
import { ENDLESS_ANSWER_GRAMMAR } from './dialogue.js'
import { percentile } from './metrics.js'

/** One generating session's token gaps while the long prompt was processed. */
export interface GapStats {
  /**
   * Tokens timed: from the last chunk of text before the long prompt started to its first token. A chunk of text
   * that took several tokens (a character whose bytes span them, text a stop check held back) counts as that many
   * tokens, each with an equal share of its gap: the goal is the gap between tokens, and a 3-token character is not
   * a stall.
   */
  readonly gaps: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly maxMs: number
}

/** What the mixed load measured. */
export interface MixedLoadResult {
  /** Tokens of the long prompt. */
  readonly promptTokens: number
  /** From the long prompt's start to its first generated token, ms. */
  readonly promptMs: number
  /** The two generating sessions. */
  readonly generating: readonly GapStats[]
  /** The largest p99/p50 of the generating sessions. */
  readonly p99VsP50: number
}

const NEVER = '<never-produced>'
/** Tokens each generating session produces before the long prompt starts: both are past their own prompts by then. */
const LEAD_TOKENS = 16

/** When a chunk of text arrived, and the session's generated-token count then. */
interface Arrival {
  readonly ms: number
  readonly tokens: number
}

/**
 * The gaps per token while the long prompt ran: between consecutive chunks of text whose later one came after the
 * prompt started and no later than its first token (so the first gap spans the start), shared by the tokens between.
 */
function windowStats(arrivals: readonly Arrival[], start: number, end: number): GapStats {
  const gaps: number[] = []
  for (let i = 1; i < arrivals.length; i++) {
    const { ms, tokens } = arrivals[i] as Arrival
    const previous = arrivals[i - 1] as Arrival
    if (ms <= start || ms > end) continue
    const count = Math.max(1, tokens - previous.tokens)
    for (let k = 0; k < count; k++) gaps.push((ms - previous.ms) / count)
  }
  return { gaps: gaps.length, p50Ms: percentile(gaps, 50) ?? 0, p99Ms: percentile(gaps, 99) ?? 0, maxMs: Math.max(0, ...gaps) }
}

/** A human turn of at least `tokens` tokens (a repeated mixed English/Chinese sentence). */
function longTurn(session: LlamaCppSession, tokens: number): PromptPart[] {
  const sentence = 'Please read this paragraph carefully; 请仔细阅读这一段文字，然后回答问题。 '
  const build = (repeat: number): PromptPart[] => [{ text: `<|Human|>: ${sentence.repeat(repeat)}<eoh>\n${MOSS_ROLE.answer}`, trusted: true }]
  let repeat = Math.ceil(tokens / Math.max(1, session.countTokens(build(1))))
  while (session.countTokens(build(repeat)) < tokens) repeat++
  return build(repeat)
}

/**
 * Runs the mixed load on its own backend (three sessions). The generating sessions decode under the never-ending
 * answer grammar; the third starts its prompt once both have produced {@link LEAD_TOKENS} tokens (so both are
 * generating, past their own prompts), and they stop at its first token. Only the gaps of that window count: what
 * happens before it (the second session's own prompt chunked beside the first) is a different load. A generating
 * session that reaches its context's end first stops there and reports fewer gaps.
 */
export async function measureMixedLoad(env: BenchEnv, modelPath: string, promptTokens: number): Promise<MixedLoadResult> {
  // Room for the generating sessions' own prompts (~1,000 tokens) and what they generate while two prompts are chunked.
  const contextSize = Math.max(promptTokens + 64, 4096)
  const backend = await createLlamaCppBackend({ model: modelPath, threads: env.threads, gpu: env.gpu, contextSize, maxSessions: 3 })
  const sessions = await Promise.all([0, 1, 2].map(() => backend.open()))
  try {
    const [a, b, long] = sessions as [LlamaCppSession, LlamaCppSession, LlamaCppSession]
    const constrain = { trigger: MOSS_ROLE.answer, gbnf: ENDLESS_ANSWER_GRAMMAR }
    for (const [i, session] of [a, b].entries()) {
      await session.append([...env.format.renderSystem(env.plugins), { text: `<|Human|>: Tell me story number ${i}.<eoh>\n${MOSS_ROLE.answer}`, trusted: true }])
    }
    await long.append(longTurn(long, promptTokens))
    const evaluated = long.tokenCount
    let led = 0
    let startLong: () => void = () => undefined
    const leadDone = new Promise<void>((resolve) => (startLong = resolve))
    const window = { start: Infinity, end: Infinity }
    const generate = async (session: LlamaCppSession, i: number): Promise<Arrival[]> => {
      const times: Arrival[] = []
      const request = { stop: [NEVER], maxTokens: session.contextSize - session.tokenCount - 1, sampling: { ...env.sampling, seed: env.sampling.seed + i }, constrain }
      // One timestamp per chunk of text, with the tokens generated so far (a character's bytes may span several).
      for await (const _ of session.generate(request)) {
        void _
        times.push({ ms: performance.now(), tokens: session.stats.generated })
        if (times.length === LEAD_TOKENS && ++led === 2) startLong()
        if (window.end !== Infinity) break
      }
      // A session that ended before the other reached its lead tokens must not hold the long prompt back.
      if (times.length < LEAD_TOKENS && ++led === 2) startLong()
      return times
    }
    const runLong = async (): Promise<void> => {
      await leadDone
      window.start = performance.now()
      for await (const _ of long.generate({ stop: [NEVER], maxTokens: 1, sampling: env.sampling })) void _
      window.end = performance.now()
    }
    const [timesA, timesB] = await Promise.all([generate(a, 0), generate(b, 1), runLong()])
    const generating = [windowStats(timesA, window.start, window.end), windowStats(timesB, window.start, window.end)]
    return {
      promptTokens: evaluated,
      promptMs: window.end - window.start,
      generating,
      p99VsP50: Math.max(...generating.map((g) => (g.p50Ms > 0 ? g.p99Ms / g.p50Ms : 0))),
    }
  } finally {
    await Promise.all(sessions.map((s) => s.dispose()))
    await backend.dispose()
  }
}
