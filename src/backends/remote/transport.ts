/**
 * What a remote session needs from a server client: one streamed completion per call. The OpenAI-compatible
 * (undici) and Hugging Face clients implement it; the session (prompt replay, stop markers, retries, deadlines) is
 * shared.
 */
import type { CompletionChunk } from './completion-chunk.js'

/** Sampling settings as sent on the wire (snake_case names of the completions API). */
export interface WireSampling {
  /** See `SamplingOptions.temperature`. */
  readonly temperature: number
  /** See `SamplingOptions.topP`. */
  readonly top_p: number
  /** See `SamplingOptions.topK`; omitted where the server does not take it. */
  readonly top_k?: number
  /** See `SamplingOptions.repeatPenalty`; omitted where the server does not take it. */
  readonly repetition_penalty?: number
  /** See `SamplingOptions.seed`; omitted for a random seed. */
  readonly seed?: number
}

/** One completion request. */
export interface CompletionRequest {
  /** The whole transcript: servers reuse their cached prefix, so replaying it is cheap. */
  readonly prompt: string
  /** Most tokens to generate in this call. */
  readonly maxTokens: number
  /** Stop strings for the server; empty when the backend applies them client-side only. */
  readonly stop: readonly string[]
  /** Resolved sampling settings. */
  readonly sampling: WireSampling
}

/** A server client. */
export interface CompletionTransport {
  /** For logs and error messages, e.g. `OpenAI-compatible server http://127.0.0.1:8080`. */
  readonly server: string
  /**
   * Streams one completion. The HTTP request starts at the first `next()`; HTTP errors, network errors and
   * malformed streams are thrown as typed errors. Returning early (`return()`) closes the HTTP stream.
   */
  stream(request: CompletionRequest, signal: AbortSignal): AsyncGenerator<CompletionChunk, void, void>
  /** Closes connections. Idempotent. */
  close(): Promise<void>
}
