/**
 * What one native decode costs by the number of tokens it carries, on bare node-llama-cpp: k tokens of one sequence
 * (a prompt chunk) and one token of each of k sequences (lock-step generation). This is the engine's ceiling for
 * concurrent sessions: if a decode of 2 tokens costs 2× a decode of 1, two sessions cannot beat one in aggregate,
 * however well their decodes are shared (on one CPU thread, ggml's kernels for a 2-column batch are measured here
 * at 1.7–2.2× one column; from 4 tokens on they pay).
 */
import type { Token } from 'node-llama-cpp'
import type { BenchEnv } from './bench-env.js'
import { median } from './metrics.js'

/** Median wall time of one decode, by tokens carried. */
export interface EngineBatchCost {
  /** Tokens per decode, as measured (the concurrency levels). */
  readonly tokens: readonly number[]
  /** k tokens appended to one sequence, ms per decode. */
  readonly oneSequenceMs: readonly number[]
  /** One token on each of k sequences at once, ms per decode. */
  readonly spreadMs: readonly number[]
}

/** Decodes timed per size and mode (after one untimed). */
const STEPS = 24
/** Each sequence's history before timing starts, so attention has a realistic span. */
const HISTORY = 'Once upon a time a small fox lived at the edge of a quiet forest. '.repeat(8)

/** Measures every size in `levels` on a context shaped like the concurrency backend's (as many sequences as the largest). */
export async function measureEngineBatch(env: BenchEnv, levels: readonly number[], contextPerSequence: number): Promise<EngineBatchCost> {
  const sizes = [...levels].sort((a, b) => a - b)
  const most = Math.max(1, ...sizes)
  const context = await env.model.createContext({ contextSize: contextPerSequence * most, sequences: most, threads: env.threads, flashAttention: false })
  try {
    const sequences = Array.from({ length: most }, () => context.getSequence())
    const history = env.model.tokenize(HISTORY)
    const timed = async (step: () => Promise<unknown>): Promise<number> => {
      const times: number[] = []
      for (let i = 0; i <= STEPS; i++) {
        const started = performance.now()
        await step()
        if (i > 0) times.push(performance.now() - started)
      }
      return median(times) ?? 0
    }
    const oneSequenceMs: number[] = []
    const spreadMs: number[] = []
    for (const k of sizes) {
      const used = sequences.slice(0, k)
      for (const s of sequences) await s.clearHistory()
      const first = sequences[0]!
      await first.evaluateWithoutGeneratingNewTokens(history)
      let at = 0
      const next = (n: number): Token[] => Array.from({ length: n }, () => history[at++ % history.length] as Token)
      oneSequenceMs.push(await timed(() => first.evaluateWithoutGeneratingNewTokens(next(k))))
      for (const s of used.slice(1)) await s.evaluateWithoutGeneratingNewTokens(history)
      // Queued in the same tick, node-llama-cpp's dispatch puts the k tokens in one batch.
      spreadMs.push(await timed(() => Promise.all(used.map((s) => s.evaluateWithoutGeneratingNewTokens(next(1))))))
    }
    return { tokens: sizes, oneSequenceMs, spreadMs }
  } finally {
    await context.dispose()
  }
}
