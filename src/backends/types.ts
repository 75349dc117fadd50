/**
 * The seam between the dialogue loop and a model. A {@link ModelBackend} owns a model (in-process or remote); each
 * conversation opens one {@link ModelSession}, which owns one transcript (a KV-cache sequence locally, a replayed
 * prompt remotely).
 */

import type { ConstrainedSpan, GenerateOutcome, ModelInfo, PromptPart } from '../prompt.js'

export type { ConstrainedSpan, GenerateOutcome, ModelInfo, PromptPart }

/** Sampling settings. Defaults are MOSS's demo settings unless a backend documents otherwise. */
export interface SamplingOptions {
  /** Defaults to `0.7`. `0` means greedy. */
  temperature?: number
  /** Defaults to `0.8`. */
  topP?: number
  /** Defaults to `40`. */
  topK?: number
  /** Repetition penalty; defaults to `1.02`. */
  repeatPenalty?: number
  /** Seed for reproducible sampling; defaults to a random seed. */
  seed?: number
}

/** One generation request. */
export interface GenerateRequest {
  /**
   * Text markers that end the generation. The first one produced ends it; it is not yielded as text, but it is
   * part of the session's transcript (the next `append` follows it).
   */
  readonly stop: readonly string[]
  /** Maximum tokens to generate. Defaults to the backend's limit (512). */
  readonly maxTokens?: number
  /** Optional grammar-constrained span. */
  readonly constrain?: ConstrainedSpan
  /** Per-request sampling overrides. */
  readonly sampling?: SamplingOptions
  /** Aborts the generation; the text generated so far stays in the transcript. */
  readonly signal?: AbortSignal
}

/** Cumulative token counters of a session, for budgets, benchmarks and tests. */
export interface BackendStats {
  /** Tokens run through the model to fill the KV cache (prompt processing), including the held-back token. */
  evaluated: number
  /** Tokens sampled. */
  generated: number
  /** Tokens kept from an earlier state instead of being evaluated again (prefix reuse, restored state). */
  reused: number
}

/** A conversation's transcript on a model. */
export interface ModelSession {
  /** Appends parts to the transcript. A local backend evaluates them lazily (at the next `generate`) or eagerly. */
  append(parts: readonly PromptPart[]): Promise<void>

  /**
   * Streams generated text until a stop marker, end of generation, the token limit or an abort. Partial stop
   * markers are held back, never yielded. The generator's return value says why it stopped.
   */
  generate(request: GenerateRequest): AsyncGenerator<string, GenerateOutcome, void>

  /**
   * Replaces the whole transcript by `parts` (used after history compression or repair). Implementations keep the
   * longest common prefix (by part) and only process what differs. Generated text appears in `parts` as a trusted
   * part whose text equals what `generate` produced, stop marker included.
   */
  reset(parts: readonly PromptPart[]): Promise<void>

  /** Token count of these parts on this model (may be an estimate for remote backends). */
  countTokens(parts: readonly PromptPart[]): number

  /** Tokens currently in the transcript. */
  readonly tokenCount: number

  /** Maximum transcript length in tokens, or `undefined` when unknown. */
  readonly contextSize: number | undefined

  /** Cumulative counters. */
  readonly stats: Readonly<BackendStats>

  /**
   * Saves backend state (e.g. the KV cache) next to a session file, so a later `openFromState` resumes without
   * re-evaluation. Optional: backends without state omit it.
   */
  saveState?(path: string): Promise<void>

  /** Releases the session's resources (its sequence). Idempotent. */
  dispose(): Promise<void>
}

/** Options for opening a session. */
export interface OpenSessionOptions {
  /** Gives up waiting for a free slot (local backends have a fixed number). */
  readonly signal?: AbortSignal
  /** How long to wait for a free slot before failing with a typed error. Defaults to 60 s. */
  readonly timeoutMs?: number
  /**
   * A state file written by `ModelSession.saveState` and the transcript it was saved with. The backend restores
   * the state when it matches its model and context size, and otherwise re-evaluates `parts`.
   */
  readonly restore?: { readonly statePath: string; readonly parts: readonly PromptPart[] }
}

/** A loaded model that conversations run on. */
export interface ModelBackend {
  /** A short description for logs and the REPL's `/model` (file, device, context). */
  readonly description: string
  /** The model's architecture and chat template when the backend can read them (local GGUFs); used by `format: 'auto'`. */
  readonly modelInfo?: ModelInfo
  /** Opens a new, empty transcript (or restores one, see `restore`). */
  open(options?: OpenSessionOptions): Promise<ModelSession>
  /** Frees the model and every session. Idempotent. */
  dispose(): Promise<void>
}
