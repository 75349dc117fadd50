/**
 * Aggregate generation throughput with N sessions generating at once on one backend (one context, one sequence per
 * session; node-llama-cpp batches their evaluations). Prompts are evaluated before the clock starts.
 */
import { createLlamaCppBackend } from '../src/backends/llama-cpp/index.js'
import type { PromptPart } from '../src/backends/types.js'
import type { BenchEnv } from './bench-env.js'

/** Aggregate tokens/s for one concurrency level. */
export interface ConcurrencySample {
  readonly sessions: number
  readonly tokens: number
  readonly ms: number
  readonly tokensPerSecond: number
}

const NEVER = '<never-produced>'

/** Measures every level in `levels` on a backend with as many sequences as the largest level. */
export async function measureConcurrency(env: BenchEnv, modelPath: string, levels: readonly number[], tokensEach: number): Promise<ConcurrencySample[]> {
  if (levels.length === 0) return []
  const backend = await createLlamaCppBackend({ model: modelPath, threads: env.threads, gpu: false, contextSize: 1536, maxSessions: Math.max(...levels) })
  const samples: ConcurrencySample[] = []
  try {
    for (const n of levels) {
      const sessions = await Promise.all(Array.from({ length: n }, () => backend.open()))
      try {
        await Promise.all(
          sessions.map(async (session, i) => {
            const prompt: PromptPart[] = [...env.format.renderSystem(env.plugins), { text: `<|Human|>: Tell me story number ${i}.<eoh>\n<|MOSS|>:`, trusted: true }]
            await session.append(prompt)
            // One token so the prompt is evaluated before timing starts.
            for await (const _ of session.generate({ stop: [NEVER], maxTokens: 1, sampling: env.sampling })) void _
          }),
        )
        const before = sessions.reduce((total, s) => total + s.stats.generated, 0)
        const started = performance.now()
        await Promise.all(
          sessions.map(async (session, i) => {
            for await (const _ of session.generate({ stop: [NEVER], maxTokens: tokensEach, sampling: { ...env.sampling, seed: env.sampling.seed + i } })) void _
          }),
        )
        const ms = performance.now() - started
        const tokens = sessions.reduce((total, s) => total + s.stats.generated, 0) - before
        samples.push({ sessions: n, tokens, ms, tokensPerSecond: tokens / (ms / 1000) })
      } finally {
        await Promise.all(sessions.map((s) => s.dispose()))
      }
    }
  } finally {
    await backend.dispose()
  }
  return samples
}
