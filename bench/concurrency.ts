/**
 * Aggregate generation throughput with N sessions generating at once on one backend (one context, one sequence per
 * session; node-llama-cpp batches their evaluations), next to the same measurement on bare node-llama-cpp sequences
 * of an identical context: the raw figure is the engine's limit on this CPU, so the pair tells whether a shortfall
 * is ours or the engine's. Prompts are evaluated before the clock starts. Both decode under the same never-ending
 * answer grammar, so every sequence produces exactly its token count.
 *
 * One level takes a fraction of a second on the small models, where a load spike on a shared machine moves a single
 * measurement by ±40%: every level runs several rounds, backend and bare alternating (the order flips every round),
 * and reports the median round (as micro.ts does for `generation_vs_raw`); the backend/bare ratio is the median of
 * the rounds' own ratios. Likewise a level of N > 1 sessions is compared with one session in the same rounds (one of
 * its sessions generating alone, right beside it): levels measured minutes apart drift with the host by ±25% (seen:
 * 25m at 4 sessions 0.95× one session in one run, 1.23× in the next).
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
import { median } from './metrics.js'

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
  /** Backend tok/s / bare tok/s of every round, in order; `pairedRatio` is their median. */
  readonly roundRatios: readonly number[]
  readonly pairedRatio: number
  /**
   * Backend tok/s at this level / one backend session's tok/s measured in the same round, in order (empty for the
   * level of one session); `pairedVsOne` is their median, `undefined` when there are none.
   */
  readonly vsOneRatios: readonly number[]
  readonly pairedVsOne: number | undefined
  /** Where the backend's time went during the median round's generation (see batch-probe.ts); `undefined` when not probed. */
  readonly profile: BatchProfile | undefined
  /** The same for the bare sequences. */
  readonly rawProfile: BatchProfile | undefined
}

const NEVER = '<never-produced>'
/** Appended after the prompt-evaluating first token on both sides, so that the timed generation starts a grammar span. */
const ANSWER_PREFIX: PromptPart = { text: MOSS_ROLE.answer, trusted: true }
/** Per-sequence context of the concurrency backend (room for the meta instruction and the generated tokens). */
export const CONTEXT_SIZE = 1536

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

/** One timed round of one side. */
interface LevelRun {
  readonly tokens: number
  readonly ms: number
  readonly perSession: number
  readonly profile: BatchProfile | undefined
}

/** The run with the median rate (the lower middle one for an even count). */
function medianRun(runs: readonly LevelRun[]): LevelRun {
  const sorted = [...runs].sort((a, b) => a.tokens / a.ms - b.tokens / b.ms)
  return sorted[Math.floor((sorted.length - 1) / 2)] as LevelRun
}

/**
 * Measures every level in `levels` on a backend (and a bare context) with as many sequences as the largest level,
 * `rounds` interleaved rounds per level.
 */
export async function measureConcurrency(env: BenchEnv, modelPath: string, levels: readonly number[], tokensEach: number, rounds = 3): Promise<ConcurrencySample[]> {
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
      const sessions = await Promise.all(Array.from({ length: n }, () => backend.open()))
      try {
        const backendLevel = async (active = sessions): Promise<LevelRun> => {
          await Promise.all(
            active.map(async (session, i) => {
              await session.reset(promptFor(env, i))
              // One token so the prompt is evaluated before timing starts.
              for await (const _ of session.generate({ stop: [NEVER], maxTokens: 1, sampling: env.sampling })) void _
              // The span grammar engages when the transcript ends with its trigger: the answer prefix is appended again.
              await session.append([ANSWER_PREFIX])
            }),
          )
          const before = active.reduce((total, s) => total + s.stats.generated, 0)
          probe.reset()
          const started = performance.now()
          const rates = await Promise.all(
            active.map(async (session, i) => {
              const own = session.stats.generated
              for await (const _ of session.generate({ stop: [NEVER], maxTokens: tokensEach, sampling: { ...env.sampling, seed: env.sampling.seed + i }, constrain })) void _
              return (session.stats.generated - own) / ((performance.now() - started) / 1000)
            }),
          )
          const ms = performance.now() - started
          const tokens = active.reduce((total, s) => total + s.stats.generated, 0) - before
          return { tokens, ms, perSession: mean(rates), profile: probe.attached ? probe.read() : undefined }
        }
        const rawRun = async (): Promise<LevelRun> => {
          const raw = await rawLevel(env, rawSequences.slice(0, n), tokensEach, rawProbe, grammar)
          return { ...raw, profile: rawProbe.attached ? rawProbe.read() : undefined }
        }
        const backendRuns: LevelRun[] = []
        const rawRuns: LevelRun[] = []
        const roundRatios: number[] = []
        const vsOneRatios: number[] = []
        const rate = (run: LevelRun): number => (run.ms > 0 ? run.tokens / run.ms : 0)
        // One session alone, beside the level in the same round (its first session; the others stay idle).
        const alone = async (): Promise<LevelRun | undefined> => (n > 1 ? await backendLevel(sessions.slice(0, 1)) : undefined)
        for (let round = 0; round < rounds; round++) {
          const rawFirst = round % 2 === 0
          const before = rawFirst ? await rawRun() : await alone()
          const ours = await backendLevel()
          const after = rawFirst ? await alone() : await rawRun()
          const raw = (rawFirst ? before : after) as LevelRun
          const one = rawFirst ? after : before
          rawRuns.push(raw)
          backendRuns.push(ours)
          if (rate(raw) > 0 && rate(ours) > 0) roundRatios.push(rate(ours) / rate(raw))
          if (one !== undefined && rate(one) > 0 && rate(ours) > 0) vsOneRatios.push(rate(ours) / rate(one))
        }
        const ours = medianRun(backendRuns)
        const raw = medianRun(rawRuns)
        const profile = ours.profile
        const rawProfile = raw.profile
        samples.push({
          sessions: n,
          tokens: ours.tokens,
          ms: ours.ms,
          tokensPerSecond: ours.tokens / (ours.ms / 1000),
          perSessionTokensPerSecond: ours.perSession,
          tokensPerDecode: profile && profile.decodes > 0 ? ours.tokens / profile.decodes : undefined,
          rawTokensPerDecode: rawProfile && rawProfile.decodes > 0 ? raw.tokens / rawProfile.decodes : undefined,
          rawTokensPerSecond: raw.tokens / (raw.ms / 1000),
          rawPerSessionTokensPerSecond: raw.perSession,
          rawMs: raw.ms,
          roundRatios,
          pairedRatio: median(roundRatios) ?? 0,
          vsOneRatios,
          pairedVsOne: median(vsOneRatios),
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
