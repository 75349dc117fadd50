/**
 * Retries of HTTP requests, shared by the remote model backends and the plugins' service calls: one policy shape,
 * backoff with jitter, the server's own wish (`Retry-After`, or a wait the caller reads from other headers) honoured
 * up to a cap, an abortable sleep and the loop that ties them together.
 */

/** How failed attempts are retried. */
export interface RetryPolicy {
  /** Total attempts, the first included; `1` disables retries. Defaults to `3`. */
  readonly attempts?: number
  /** Delay before the first retry; doubles on each retry (plus random jitter). Defaults to `300` ms. */
  readonly baseDelayMs?: number
  /** Upper bound of a backoff delay. Defaults to `4000` ms. */
  readonly maxDelayMs?: number
  /** Upper bound applied to a server's requested wait; a longer wish ends the retries. Defaults to `10000` ms. */
  readonly maxRetryAfterMs?: number
}

/** A {@link RetryPolicy} with every value filled in. */
export type ResolvedRetryPolicy = Required<RetryPolicy>

/** The defaults of {@link RetryPolicy} (plugin service calls). */
export const DEFAULT_RETRY_POLICY: ResolvedRetryPolicy = Object.freeze({
  attempts: 3,
  baseDelayMs: 300,
  maxDelayMs: 4000,
  maxRetryAfterMs: 10_000,
})

/** Fills in a policy from `defaults`. */
export function resolveRetryPolicy(policy: RetryPolicy | undefined, defaults: ResolvedRetryPolicy = DEFAULT_RETRY_POLICY): ResolvedRetryPolicy {
  return {
    attempts: Math.max(1, policy?.attempts ?? defaults.attempts),
    baseDelayMs: policy?.baseDelayMs ?? defaults.baseDelayMs,
    maxDelayMs: policy?.maxDelayMs ?? defaults.maxDelayMs,
    maxRetryAfterMs: policy?.maxRetryAfterMs ?? defaults.maxRetryAfterMs,
  }
}

/** Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds; `undefined` when absent or invalid. */
export function parseRetryAfter(value: string | undefined | null, now = Date.now()): number | undefined {
  if (value === undefined || value === null) return undefined
  const trimmed = value.trim()
  if (trimmed === '') return undefined
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * Backoff before retry number `retry` (1 for the first retry): half fixed, half random, so that many clients do not
 * retry in step, and never instantly.
 */
export function backoffMs(retry: number, policy: RetryPolicy = {}, random: () => number = Math.random): number {
  const base = policy.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs
  const cap = policy.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs
  const ceiling = Math.min(cap, base * 2 ** (retry - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/**
 * Delay before retry number `retry` (1 for the first retry): the server's `Retry-After` (seconds or HTTP date) when
 * present and within `maxRetryAfterMs`, else {@link backoffMs}. Returns `undefined` when the server asks for a
 * longer wait than the cap allows (the caller then stops retrying).
 */
export function retryDelayMs(
  retry: number,
  retryAfter: string | undefined,
  policy: RetryPolicy = {},
  random: () => number = Math.random,
  now: number = Date.now(),
): number | undefined {
  return delayFor(retry, parseRetryAfter(retryAfter, now), policy, random)
}

/** The delay for a retry given the server's wish in ms (if any); `undefined` when the wish exceeds the cap. */
function delayFor(retry: number, wishMs: number | undefined, policy: RetryPolicy, random: () => number): number | undefined {
  if (wishMs === undefined) return backoffMs(retry, policy, random)
  if (wishMs > (policy.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs)) return undefined
  return Math.max(0, Math.round(wishMs))
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

/** A retryable failure, with the wait the server asked for (in ms) when it said. */
export interface RetryableFailure {
  readonly waitMs?: number
}

/** Options of {@link withRetries}. */
export interface RetryLoopOptions<E> {
  readonly policy: ResolvedRetryPolicy
  /** Stops the waiting between attempts (the sleep rejects with the signal's reason). */
  readonly signal: AbortSignal
  /** `undefined` for an error not worth retrying (it is thrown at once). */
  readonly classify: (error: unknown) => RetryableFailure | undefined
  /** Epoch ms after which no retry starts: a wait that would end past it throws the last error instead. */
  readonly deadlineAt?: number
  /** Sees each retried error and the delay chosen. */
  readonly onRetry?: (error: E, delayMs: number) => void
  readonly random?: () => number
}

/**
 * Runs `attempt` until it succeeds, fails with an error `classify` does not retry, or the policy's attempts, the
 * server's patience (a wish beyond `maxRetryAfterMs`) or the deadline run out; then the last error is thrown.
 */
export async function withRetries<T, E = unknown>(attempt: (index: number) => Promise<T>, options: RetryLoopOptions<E>): Promise<T> {
  for (let index = 0; ; index++) {
    try {
      return await attempt(index)
    } catch (error) {
      const failure = options.classify(error)
      if (failure === undefined || index + 1 >= options.policy.attempts || options.signal.aborted) throw error
      const delay = delayFor(index + 1, failure.waitMs, options.policy, options.random ?? Math.random)
      if (delay === undefined) throw error
      if (options.deadlineAt !== undefined && Date.now() + delay >= options.deadlineAt) throw error
      options.onRetry?.(error as E, delay)
      await sleep(delay, options.signal)
    }
  }
}
