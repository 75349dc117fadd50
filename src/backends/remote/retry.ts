/**
 * Bounded retries with exponential backoff for overloaded servers (HTTP 429 and 503), honouring `Retry-After`.
 * Only used before the first generated token: once text has streamed, replaying would duplicate it.
 */
import { RemoteHttpError } from './remote-errors.js'

/** Retry policy for 429 and 503 answers. */
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

/** {@link RetryOptions} with every default filled in. */
export type ResolvedRetryOptions = Required<RetryOptions>

/** Fills in the defaults. */
export function resolveRetryOptions(options: RetryOptions | undefined): ResolvedRetryOptions {
  return {
    maxRetries: options?.maxRetries ?? 3,
    initialDelayMs: options?.initialDelayMs ?? 500,
    maxDelayMs: options?.maxDelayMs ?? 8000,
    maxRetryAfterMs: options?.maxRetryAfterMs ?? 30_000,
  }
}

/** Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds; `undefined` when absent or invalid. */
export function parseRetryAfter(value: string | undefined | null, now = Date.now()): number | undefined {
  if (value === undefined || value === null) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** Backoff before retry number `attempt` (0-based): half fixed, half random, so many clients do not retry in step. */
export function backoffDelay(attempt: number, options: ResolvedRetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** attempt)
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/** True for the answers worth retrying: rate limited or temporarily unavailable. */
export function isRetryable(error: unknown): error is RemoteHttpError {
  return error instanceof RemoteHttpError && (error.status === 429 || error.status === 503)
}

/** Waits `ms`, rejecting with the signal's reason when it fires first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason)
      return
    }
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or the retries are used up (the last error is
 * thrown). `onRetry` sees each retried error and the delay chosen.
 */
export async function withRetries<T>(
  attempt: (index: number) => Promise<T>,
  options: ResolvedRetryOptions,
  signal: AbortSignal,
  onRetry?: (error: RemoteHttpError, delayMs: number) => void,
): Promise<T> {
  for (let index = 0; ; index++) {
    try {
      return await attempt(index)
    } catch (error) {
      if (!isRetryable(error) || index >= options.maxRetries || signal.aborted) throw error
      if (error.retryAfterMs !== undefined && error.retryAfterMs > options.maxRetryAfterMs) throw error
      const delay = error.retryAfterMs ?? backoffDelay(index, options)
      onRetry?.(error, delay)
      await sleep(delay, signal)
    }
  }
}
