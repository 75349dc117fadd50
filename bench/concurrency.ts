/**
 * Aggregate generation throughput with N sessions generating at once on one backend (one context, one sequence per
 * session; node-llama-cpp batches their evaluations), next to the same measurement on bare node-llama-cpp sequences
 * of an identical context: the raw figure is the engine's limit on this CPU, so the pair tells whether a shortfall
 * is ours or the engine's. Prompts are evaluated before the clock starts; levels alternate raw/backend. Both decode
 * under the same never-ending answer grammar, so every sequence produces exactly its token count.
 */
import { LlamaGrammarEvaluationState } from 'node-llama-cpp'
import type { LlamaContextSequence, LlamaGrammar, Token } from 'node-llama-cpp'
import { MOSS_ROLE } from '../src/formats/index.js'
import { ENDLESS_ANSWER_GRAMMAR } from './dialogue.js'
import { createLlamaCppBackend } from '../src/backends/llama-cpp/index.js'
import type { PromptPart } from '../src/backends/types.js'
import type { BenchEnv } from './bench-env.js'
import { bosTokens } from './bench-env.js'
import { PartTokenizerCache } from '../src/backends/llama-cpp/tokenize-parts.js'
import { probeContext } from './batch-probe.js'
import type { BatchProbe, BatchProfile } from './batch-probe.js'
import { llamaCppHandles } from '../src/backends/llama-cpp/handles.js'

/** Aggregate tokens/s for one concurrency level. */
export interface ConcurrencySample {
  readonly sessions: number
  readonly tokens: number
  readonly ms: number
  readonly tokensPerSecond: number
  /** Mean over the sessions of each one's tokens / its own generation time, tokens/s. */
  readonly perSessionTokensPerSecond: number
  /** Generated tokens per native decode (N when every decode carries one token of every session), backend. */
  readonly tokensPerDecode: number | undefined
  /** The same on the bare sequences. */
  readonly rawTokensPerDecode: number | undefined
  /** Mean per-sequence tokens/s of the bare sequences. */
  readonly rawPerSessionTokensPerSecond: number
  /** The same level on bare node-llama-cpp sequences (same context shape, same sampling), tokens/s. */
  readonly rawTokensPerSecond: number
  /** Wall time of the bare sequences' timed generation, ms. */
  readonly rawMs: number
  /** Where the backend's time went during the timed generation (see batch-probe.ts); `undefined` when not probed. */
  readonly profile: BatchProfile | undefined
  /** The same for the bare sequences. */
  readonly rawProfile: BatchProfile | undefined
}

const NEVER = '<never-produced>'
/** Appended after the prompt-evaluating first token on both sides, so that the timed generation starts a grammar span. */
const ANSWER_PREFIX: PromptPart = { text: MOSS_ROLE.answer, trusted: true }
/** Per-sequence context of the concurrency backend (room for the meta instruction and the generated tokens). */
const CONTEXT_SIZE = 1536

function promptFor(env: BenchEnv, i: number): PromptPart[] {
  return [...env.format.renderSystem(env.plugins), { text: `<|Human|>: Tell me story number ${i}.<eoh>\n<|MOSS|>:`, trusted: true }]
}

/** Generates `tokensEach` tokens on every sequence at once, after evaluating each prompt; returns tokens and ms. */
async function rawLevel(env: BenchEnv, sequences: readonly LlamaContextSequence[], tokensEach: number, probe: BatchProbe, grammar: LlamaGrammar): Promise<{ tokens: number; ms: number; perSession: number }> {
  const tokenizer = new PartTokenizerCache(env.model)
  const held = await Promise.all(
    sequences.map(async (sequence, i) => {
      await sequence.clearHistory()
      const prompt = [...bosTokens(env.model), ...promptFor(env, i).flatMap((p) => tokenizer.tokenize(p))]
      for await (const token of sequence.evaluate(prompt, { temperature: env.sampling.temperature, seed: env.sampling.seed + i })) return { prompt, token }
      return { prompt, token: prompt.at(-1) as Token }
    }),
  )
  let tokens = 0
  probe.reset()
  const started = performance.now()
  const rates = await Promise.all(
    sequences.map(async (sequence, i) => {
      const entry = held[i]
      if (entry === undefined) return 0
      // As on the backend: the held token and a re-appended answer prefix, then the grammar from its start.
      const input = [entry.token, ...tokenizer.tokenize(ANSWER_PREFIX)]
      const transcript: Token[] = [...entry.prompt, ...input]
      const grammarEvaluationState = new LlamaGrammarEvaluationState({ model: env.model, grammar })
      let count = 0
      for await (const token of sequence.evaluate(input, {
        temperature: env.sampling.temperature,
        topK: env.sampling.topK,
        topP: env.sampling.topP,
        seed: env.sampling.seed + i,
        repeatPenalty: { penalty: env.sampling.repeatPenalty, punishTokens: () => transcript.slice(-64) },
        grammarEvaluationState,
        yieldEogToken: true,
      })) {
        transcript.push(token)
        env.model.detokenize([token], true)
        tokens++
        if (++count >= tokensEach) break
      }
      return count / ((performance.now() - started) / 1000)
    }),
  )
  return { tokens, ms: performance.now() - started, perSession: mean(rates) }
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length
}

/** Measures every level in `levels` on a backend (and a bare context) with as many sequences as the largest level. */
export async function measureConcurrency(env: BenchEnv, modelPath: string, levels: readonly number[], tokensEach: number): Promise<ConcurrencySample[]> {
  if (levels.length === 0) return []
  const most = Math.max(...levels)
  const backend = await createLlamaCppBackend({ model: modelPath, threads: env.threads, gpu: env.gpu, contextSize: CONTEXT_SIZE, maxSessions: most })
  const rawContext = await env.model.createContext({ contextSize: CONTEXT_SIZE, sequences: most, threads: env.threads, flashAttention: false })
  const rawSequences = Array.from({ length: most }, () => rawContext.getSequence())
  const rawProbe = probeContext(rawContext)
  const probe = probeContext(llamaCppHandles(backend).context)
  // Every sequence decodes under the same never-ending answer grammar: a trained model cannot stop early.
  const grammar = await env.grammars.get(ENDLESS_ANSWER_GRAMMAR, [NEVER])
  const constrain = { trigger: MOSS_ROLE.answer, gbnf: ENDLESS_ANSWER_GRAMMAR }
  const samples: ConcurrencySample[] = []
  try {
    for (const n of levels) {
      const raw = await rawLevel(env, rawSequences.slice(0, n), tokensEach, rawProbe, grammar)
      const rawProfile = rawProbe.attached ? rawProbe.read() : undefined
      const sessions = await Promise.all(Array.from({ length: n }, () => backend.open()))
      try {
        await Promise.all(
          sessions.map(async (session, i) => {
            await session.append(promptFor(env, i))
            // One token so the prompt is evaluated before timing starts.
            for await (const _ of session.generate({ stop: [NEVER], maxTokens: 1, sampling: env.sampling })) void _
            // The span grammar engages when the transcript ends with its trigger: the answer prefix is appended again.
            await session.append([ANSWER_PREFIX])
          }),
        )
        const before = sessions.reduce((total, s) => total + s.stats.generated, 0)
        probe.reset()
        const started = performance.now()
        const rates = await Promise.all(
          sessions.map(async (session, i) => {
            const own = session.stats.generated
            for await (const _ of session.generate({ stop: [NEVER], maxTokens: tokensEach, sampling: { ...env.sampling, seed: env.sampling.seed + i }, constrain })) void _
            return (session.stats.generated - own) / ((performance.now() - started) / 1000)
          }),
        )
        const ms = performance.now() - started
        const tokens = sessions.reduce((total, s) => total + s.stats.generated, 0) - before
        const profile = probe.attached ? probe.read() : undefined
        samples.push({
          sessions: n,
          tokens,
          ms,
          tokensPerSecond: tokens / (ms / 1000),
          perSessionTokensPerSecond: mean(rates),
          tokensPerDecode: profile && profile.decodes > 0 ? tokens / profile.decodes : undefined,
          rawTokensPerDecode: rawProfile && rawProfile.decodes > 0 ? raw.tokens / rawProfile.decodes : undefined,
          rawTokensPerSecond: raw.tokens / (raw.ms / 1000),
          rawPerSessionTokensPerSecond: raw.perSession,
          rawMs: raw.ms,
          profile,
          rawProfile,
        })
      } finally {
        await Promise.all(sessions.map((s) => s.dispose()))
      }
    }
  } finally {
    await rawContext.dispose()
    await backend.dispose()
  }
  return samples
}
