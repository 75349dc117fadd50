import type { SamplingOptions } from '../types.js'
import type { GpuChoice } from './device.js'
import type { ModelDownloadProgress } from './model-source.js'

/**
 * Where the backend reports what it did instead of what was asked (a saved state it could not restore). Any logger
 * with a `warn(message, data)` method fits, the agent's `PluginLogger` included.
 */
export interface LlamaCppLogger {
  /** Something did not go as asked, but the backend carried on (e.g. re-evaluating instead of restoring). */
  warn(message: string, data?: Record<string, unknown>): void
}

/** Options of {@link createLlamaCppBackend}. */
export interface LlamaCppBackendOptions {
  /**
   * A GGUF file path or an `hf:owner/repo[:quant]` URI. Defaults to the package's `models/tiny-moss.gguf`
   * (a ModelLoadError with reason `missing` says how to pass one when it is absent).
   */
  readonly model?: string
  /** Defaults to `'auto'` (CUDA, Vulkan or Metal when usable, else CPU). See `device` on the backend. */
  readonly gpu?: GpuChoice
  /** Layers to offload to the GPU; defaults to node-llama-cpp's `'auto'`. */
  readonly gpuLayers?: number | 'auto' | 'max'
  /** CPU threads; defaults to cores − 1, between 1 and 4. Tiny models are fastest with 1. */
  readonly threads?: number
  /** Tokens per session (per sequence); defaults to the model's training context, at most 4,096. */
  readonly contextSize?: number
  /** Sessions that can be open at once (sequences of the shared context); defaults to `4`. */
  readonly maxSessions?: number
  /**
   * Most prompt tokens evaluated per decode round while other sessions of this backend are generating: a long prompt
   * is fed in chunks that share each batch with the others' next tokens, each chunk sized (up to this) so that its
   * round takes about 1.5× a round without one, which keeps their token gaps even: the backend times both kinds of
   * round, and a prompt that finds no recent timing of the others' rounds first lets one go without it. Alone, a
   * prompt goes in one piece. Defaults to `64`.
   */
  readonly promptChunkTokens?: number
  /** Default sampling for every generation; MOSS demo settings unless overridden (see SamplingOptions). */
  readonly sampling?: SamplingOptions
  /** Constrain command spans with their grammar when a request asks for it; defaults to `true`. */
  readonly grammar?: boolean
  /** Download progress of an `hf:` model, for drawing a bar. */
  readonly onProgress?: (progress: ModelDownloadProgress) => void
  /** Where `hf:` models are cached; defaults to node-llama-cpp's models folder. */
  readonly modelsDirectory?: string
  /**
   * Receives a warning when a saved KV state is not restored (another model, context size, `maxSessions` or
   * transcript) and the session re-evaluates instead, and llama.cpp's own warnings and errors (`llama.cpp: …`;
   * the failing call also throws a typed error). Defaults to none (silent; see `restoredFromState`).
   */
  readonly logger?: LlamaCppLogger
}

/** MOSS's demo sampling settings. */
export const MOSS_SAMPLING: Required<Omit<SamplingOptions, 'seed'>> = {
  temperature: 0.7,
  topP: 0.8,
  topK: 40,
  repeatPenalty: 1.02,
}

/** Default `promptChunkTokens`. */
export const DEFAULT_PROMPT_CHUNK_TOKENS = 64

/** Default `maxTokens` of a generation. */
export const DEFAULT_MAX_TOKENS = 512
