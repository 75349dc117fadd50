/**
 * The ratios the issue sets goals for. Every ratio compares numbers measured in the same process and run, on the
 * same model, threads and dialogue.
 */
import type { ConcurrencySample } from './concurrency.js'
import type { DialogueSummary } from './metrics.js'
import { ratio } from './metrics.js'
import type { MicroResult } from './micro.js'
import type { MixedLoadResult } from './mixed-load.js'

/** The ratio keys, in report order. */
export const RATIO_KEYS = [
  'generation_vs_raw',
  'resume_evaluated_per_appended',
  'ttft_turn10_vs_turn1',
  'e2e_vs_moss_reference',
  'e2e_vs_chat_session',
  'concurrency4_vs_1',
  'decode_coalescing_4',
  'concurrency4_vs_bare',
  'mixed_p99_vs_p50',
] as const
export type RatioKey = (typeof RATIO_KEYS)[number]

/** A ratio value; `null` when a contender it needs did not run. */
export type Ratios = Record<RatioKey, number | null>

/** Goal of each ratio and what it means. */
export const RATIO_GOALS: Readonly<Record<RatioKey, { readonly goal: string; readonly met: (v: number) => boolean; readonly meaning: string }>> = {
  generation_vs_raw: { goal: '≥ 0.95', met: (v) => v >= 0.95, meaning: 'decoding tok/s of the local backend / raw evaluate loop: median of interleaved paired rounds, same prompt and sampling' },
  resume_evaluated_per_appended: {
    goal: '= 1.0',
    met: (v) => Math.abs(v - 1) < 0.005,
    meaning: 'tokens (b) evaluates when tool results come back / tokens the transcript grew by (results + prefill + held token)',
  },
  ttft_turn10_vs_turn1: { goal: '≤ 1.2', met: (v) => v <= 1.2, meaning: 'time to first token of (b), last turn / first turn' },
  e2e_vs_moss_reference: { goal: '≤ 0.2', met: (v) => v <= 0.2, meaning: 'whole dialogue time, (b) / MOSS reference loop (c)' },
  e2e_vs_chat_session: {
    goal: '≤ 0.8',
    met: (v) => v <= 0.8,
    meaning: 'whole dialogue time, (b) MOSS / LlamaChatSession (d) in its own format: the MOSS protocol cost (the like-for-like ratio is e2e_vs_chat_session_same_format)',
  },
  concurrency4_vs_1: { goal: '≥ 1.3', met: (v) => v >= 1.3, meaning: 'aggregate decoding tok/s, 4 sessions / 1 session: median of rounds pairing them' },
  decode_coalescing_4: { goal: '≥ 0.9', met: (v) => v >= 0.9, meaning: 'tokens per native decode with 4 sessions generating / 4' },
  concurrency4_vs_bare: { goal: '≥ 1.0', met: (v) => v >= 1.0, meaning: 'aggregate decoding tok/s, 4 sessions / 4 bare node-llama-cpp sequences: median of interleaved paired rounds' },
  mixed_p99_vs_p50: { goal: '≤ 3', met: (v) => v <= 3, meaning: 'p99 / p50 token gap of a generating session while another processes a long prompt' },
}

const nullable = (v: number | undefined): number | null => (v === undefined ? null : v)

/**
 * Computes the ratios from one model's summaries. `generation_vs_raw` comes from the paired micro measurement when
 * there is one (the dialogues' own decoding rates are single, unpaired samples), else from the dialogues.
 */
export function computeRatios(summaries: readonly DialogueSummary[], concurrency: readonly ConcurrencySample[], micro?: MicroResult, mixed?: MixedLoadResult): Ratios {
  const by = (name: DialogueSummary['contender']): DialogueSummary | undefined => summaries.find((s) => s.contender === name)
  const agent = by('agent')
  const level = (n: number): ConcurrencySample | undefined => concurrency.find((c) => c.sessions === n)
  const tps = (n: number): number | undefined => level(n)?.tokensPerSecond
  return {
    generation_vs_raw: micro !== undefined && micro.pairedRatio > 0 ? micro.pairedRatio : nullable(ratio(agent?.generationTokensPerSecond, by('raw')?.generationTokensPerSecond)),
    resume_evaluated_per_appended: nullable(ratio(agent?.resumeEvaluated, agent?.resumeAppended)),
    ttft_turn10_vs_turn1: nullable(ratio(agent?.ttftLastTurnMs, agent?.ttftTurn1Ms)),
    e2e_vs_moss_reference: nullable(ratio(agent?.e2eMs, by('reference')?.e2eMs)),
    e2e_vs_chat_session: nullable(ratio(agent?.e2eMs, by('chat-session')?.e2eMs)),
    // Paired with one session in the same rounds when measured so (levels minutes apart drift with the host).
    concurrency4_vs_1: level(4)?.pairedVsOne ?? nullable(ratio(tps(4), tps(1))),
    decode_coalescing_4: nullable(ratio(level(4)?.tokensPerDecode, 4)),
    // The median of the interleaved rounds' own ratios: one round of a small model lasts a fraction of a second.
    concurrency4_vs_bare: level(4) !== undefined && (level(4)?.pairedRatio ?? 0) > 0 ? (level(4)?.pairedRatio ?? null) : nullable(ratio(tps(4), level(4)?.rawTokensPerSecond)),
    mixed_p99_vs_p50: mixed !== undefined && mixed.p99VsP50 > 0 ? mixed.p99VsP50 : null,
  }
}
