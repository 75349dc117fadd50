/**
 * Typed failures of remote inference servers. Every HTTP or stream problem becomes a {@link RemoteHttpError} (a
 * {@link BackendHttpError} with a `reason` to switch on), so a dialogue can report it and carry on.
 */
import { BackendError, BackendHttpError, describeError } from '../../errors.js'

/** What went wrong, independent of the server's wording. */
export type RemoteFailure =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'rate-limited'
  | 'unavailable'
  | 'server'
  | 'client'
  | 'invalid-json'
  | 'malformed-stream'
  | 'connection'
  | 'disconnected'

/** A remote server failed in a known way. `status` is 0 when no usable response arrived. */
export class RemoteHttpError extends BackendHttpError {
  /** The kind of failure. */
  readonly reason: RemoteFailure
  /** The delay the server asked for (`Retry-After`), in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined
  constructor(
    reason: RemoteFailure,
    status: number,
    message: string,
    options?: { body?: string; retryAfterMs?: number; cause?: unknown },
  ) {
    super(status, message, options?.body ?? '', { cause: options?.cause })
    this.reason = reason
    this.retryAfterMs = options?.retryAfterMs
  }
}

/** Phrases servers use when the prompt does not fit (vLLM, TGI, llama.cpp server, Ollama). Data, not regexes. */
const CONTEXT_OVERFLOW_PHRASES: readonly string[] = [
  'maximum context length',
  'context length',
  'must be <=',
  'exceeds the available context',
  'context size',
  'too many tokens',
]

const BODY_EXCERPT = 500

/** Pulls a human-readable message out of an error body (`{error}`, `{error:{message}}`, `{detail}`, `{message}`). */
export function errorBodyMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body)
    if (typeof parsed === 'object' && parsed !== null) {
      const record = parsed as Record<string, unknown>
      const error = record['error']
      if (typeof error === 'string') return error
      if (typeof error === 'object' && error !== null && typeof (error as Record<string, unknown>)['message'] === 'string') {
        return (error as Record<string, string>)['message'] ?? ''
      }
      for (const key of ['detail', 'message'] as const) {
        if (typeof record[key] === 'string') return record[key]
      }
    }
  } catch {
    // Not JSON: the text itself is the message.
  }
  return body.trim().slice(0, BODY_EXCERPT)
}

function reasonForStatus(status: number): RemoteFailure {
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not-found'
  if (status === 429) return 'rate-limited'
  if (status === 503) return 'unavailable'
  return status >= 500 ? 'server' : 'client'
}

/**
 * The error for a non-2xx answer. A 400/413/422 whose message says the prompt is too long becomes a
 * context-overflow {@link BackendError}, so the agent can compress history instead of giving up.
 */
export function statusError(
  status: number,
  body: string,
  retryAfterMs: number | undefined,
  server: string,
): RemoteHttpError | BackendError {
  const detail = errorBodyMessage(body)
  const excerpt = body.slice(0, BODY_EXCERPT)
  const reason = reasonForStatus(status)
  const error = new RemoteHttpError(reason, status, `${server} answered HTTP ${status}${detail ? `: ${detail}` : ''}`, {
    body: excerpt,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  })
  const lower = detail.toLowerCase()
  if (reason === 'client' && CONTEXT_OVERFLOW_PHRASES.some((phrase) => lower.includes(phrase))) {
    return new BackendError(`${server}: the prompt does not fit the model's context (${detail})`, {
      code: 'MOSS_ERR_CONTEXT_OVERFLOW',
      cause: error,
    })
  }
  return error
}

/** Network-level failure: `connect` before any response, `stream` after the response started. */
export function networkError(cause: unknown, phase: 'connect' | 'stream', server: string): RemoteHttpError {
  const code = (cause as { code?: unknown; cause?: { code?: unknown } } | undefined)?.code
    ?? (cause as { cause?: { code?: unknown } } | undefined)?.cause?.code
  const detail = typeof code === 'string' ? code : describeError(cause)
  return phase === 'connect'
    ? new RemoteHttpError('connection', 0, `Cannot reach ${server} (${detail})`, { cause })
    : new RemoteHttpError('disconnected', 0, `${server} closed the stream before the generation finished (${detail})`, {
        cause,
      })
}

/**
 * The retry verdict for a model server's failure: only rate limiting (429) and temporary unavailability (503) are
 * retried, with the server's `Retry-After`; any other error could repeat a failing generation.
 */
export function retryableOverload(error: unknown): { waitMs?: number } | undefined {
  if (!(error instanceof RemoteHttpError) || (error.status !== 429 && error.status !== 503)) return undefined
  return error.retryAfterMs === undefined ? {} : { waitMs: error.retryAfterMs }
}
