/** Options shared by every remote backend. */
import type { SamplingOptions } from '../types.js'

/**
 * Retry policy of a remote backend for overloaded servers (HTTP 429 and 503), `Retry-After` honoured. Only applied
 * before the first generated token: once text has streamed, replaying would duplicate it.
 */
export interface RetryOptions {
  /** Retries after the first attempt. Defaults to `3`; `0` disables retrying. */
  maxRetries?: number
  /** Backoff before the first retry, doubled each time (with jitter). Defaults to `500` ms. */
  initialDelayMs?: number
  /** Upper bound of a computed backoff. Defaults to `8000` ms. */
  maxDelayMs?: number
  /**
   * Longest `Retry-After` honoured. A server asking for more fails the request at once instead of being retried
   * early. Defaults to `30000` ms.
   */
  maxRetryAfterMs?: number
}

/** Options common to the OpenAI-compatible and Hugging Face backends. */
export interface RemoteBackendOptions {
  /** The server's context length in tokens, reported as `ModelSession.contextSize`. Defaults to `undefined` (unknown). */
  contextSize?: number
  /**
   * Counts tokens of a text for budgets and `tokenCount`. Defaults to an estimate (one per CJK or full-width
   * character, one per three other characters); pass the model's real tokenizer for exact figures.
   */
  countTokens?: (text: string) => number
  /** Tokens per generation when the request sets none. Defaults to `512`. */
  maxTokens?: number
  /** Sampling defaults, overridable per request. Defaults to MOSS's demo settings (0.7 / 0.8 / 40 / 1.02). */
  sampling?: SamplingOptions
  /** Deadline for a whole generation, retries included, in ms. Defaults to `300000`. */
  timeoutMs?: number
  /** Deadline for the first streamed event (queueing and retries included), in ms. Defaults to `60000`. */
  firstTokenTimeoutMs?: number
  /** Retries on 429 and 503 before the first token. Defaults to 3 retries from 500 ms, see {@link RetryOptions}. */
  retry?: RetryOptions
  /**
   * Also send the stop markers to the server so it stops early. Markers are always applied client-side too, since
   * servers may not stop on a marker that spans several tokens. Defaults to `true`.
   */
  serverStop?: boolean
  /** Maximum simultaneous HTTP connections shared by all sessions of the backend. Defaults to `8`. */
  connections?: number
}
