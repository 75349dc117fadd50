/**
 * What every contender records while running the dialogue, and the summaries computed from it.
 */
import type { ContenderName } from './options.js'

/** One model generation. */
export interface GenerationSample {
  /** 0-based turn. */
  readonly turn: number
  /** `first`: thought + commands; `answer`: the answer after the results block. */
  readonly kind: 'first' | 'answer'
  /** Tokens evaluated before the first token could be sampled (prompt processing). */
  readonly evaluated: number
  /** Tokens sampled. */
  readonly tokens: number
  /** From the start of the generation call to its first token. */
  readonly firstTokenMs: number
  /** From the first token to the last one (so `tokens − 1` token steps). */
  readonly decodeMs: number
}

/** One turn of the dialogue. */
export interface TurnSample {
  /** From the turn's start (the user's line handed over) to the first generated token. */
  readonly ttftMs: number
  /** Whole turn, tools included. */
  readonly totalMs: number
  /** Tokens evaluated during the turn. */
  readonly evaluated: number
}

/**
 * Prompt processing when a tool result comes back: tokens evaluated before the answer's first token vs tokens the
 * transcript grew by since the last evaluated position (the results block, the answer prefill and the held-back
 * last token of the commands generation). `appended` is `undefined` when the contender cannot tell.
 */
export interface ResumeSample {
  readonly turn: number
  readonly evaluated: number
  readonly appended: number | undefined
}

/** Everything one contender measured on one dialogue. */
export interface DialogueResult {
  readonly contender: ContenderName
  readonly e2eMs: number
  readonly turns: readonly TurnSample[]
  readonly generations: readonly GenerationSample[]
  readonly resumes: readonly ResumeSample[]
  readonly toolCalls: number
  /** Peak RSS of the process after this contender, MiB (monotonic over the run). */
  readonly peakRssMiB: number
}

/** Summary of one contender. */
export interface DialogueSummary {
  readonly contender: ContenderName
  /** Answer tokens per second of decoding (first token excluded). */
  readonly generationTokensPerSecond: number | undefined
  /** Tokens evaluated per second of time-to-first-token, over every generation. */
  readonly promptTokensPerSecond: number | undefined
  readonly ttftTurn1Ms: number | undefined
  readonly ttftLastTurnMs: number | undefined
  readonly e2eMs: number
  readonly evaluatedTotal: number
  /** Tokens sampled over the whole dialogue (forced first generations, calls and answers). */
  readonly generatedTotal: number
  /** Time spent before first tokens (prompt processing, resumes included), over every generation, ms. */
  readonly promptMs: number
  /** Time spent decoding after first tokens, over every generation, ms. */
  readonly decodeMs: number
  readonly resumeEvaluated: number
  readonly resumeAppended: number | undefined
  readonly toolCalls: number
  readonly turns: number
  readonly peakRssMiB: number
}

/** Sum of a field. */
function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0)
}

/** `a / b`, or `undefined` when either is missing or `b` is 0. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || b === 0 || !Number.isFinite(a) || !Number.isFinite(b)) return undefined
  return a / b
}

/** Summarises a dialogue result. */
export function summarize(result: DialogueResult): DialogueSummary {
  const answers = result.generations.filter((g) => g.kind === 'answer' && g.tokens > 1)
  const prompts = result.generations.filter((g) => g.evaluated > 0)
  const known = result.resumes.filter((r) => r.appended !== undefined)
  return {
    contender: result.contender,
    generationTokensPerSecond: ratio(sum(answers, (g) => g.tokens - 1), sum(answers, (g) => g.decodeMs) / 1000),
    promptTokensPerSecond: ratio(sum(prompts, (g) => g.evaluated), sum(prompts, (g) => g.firstTokenMs) / 1000),
    ttftTurn1Ms: result.turns[0]?.ttftMs,
    ttftLastTurnMs: result.turns.at(-1)?.ttftMs,
    e2eMs: result.e2eMs,
    evaluatedTotal: sum(result.turns, (t) => t.evaluated),
    generatedTotal: sum(result.generations, (g) => g.tokens),
    promptMs: sum(result.generations, (g) => g.firstTokenMs),
    decodeMs: sum(result.generations, (g) => g.decodeMs),
    resumeEvaluated: sum(result.resumes, (r) => r.evaluated),
    resumeAppended: known.length === result.resumes.length && known.length > 0 ? sum(known, (r) => r.appended ?? 0) : undefined,
    toolCalls: result.toolCalls,
    turns: result.turns.length,
    peakRssMiB: result.peakRssMiB,
  }
}

/** The p-th percentile (0–100) of samples, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]
}

/** Median of samples. */
export function median(samples: readonly number[]): number | undefined {
  return percentile(samples, 50)
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024
}
