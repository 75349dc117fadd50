/**
 * HTTP calls from plugins to external services (search engines, image servers): one deadline over all attempts,
 * bounded retries with exponential backoff and jitter on 408/425/429/5xx and dropped connections, the server's wait
 * honoured but capped (`Retry-After`, or a caller's reading of other headers), and a response-size limit enforced
 * while the body streams in. Every failure is a typed {@link ServiceError} (or {@link AbortedError} when the caller
 * aborted), never a bare error.
 */
import { request } from 'undici'
import { AbortedError, MossError, ServiceError, describeError } from '../errors.js'
import { headerValue, readBounded, type ResponseHeaders } from './http-body.js'
import { parseRetryAfter, resolveRetryPolicy, withRetries, type RetryableFailure, type RetryPolicy } from './http-retry.js'

/** A non-2xx answer, as a {@link ServiceRequest.retryAfter} hook sees it. */
export interface ServiceFailureResponse {
  readonly status: number
  /** Lower-case header names. */
  readonly headers: ResponseHeaders
}

/** One request to an external service. */
export interface ServiceRequest {
  /** Human name of the service, used in error messages (`SearxNG`, `Brave`, …). */
  readonly service: string
  /** Absolute URL of the endpoint, query string included. */
  readonly url: string | URL
  /** Defaults to `GET`. */
  readonly method?: 'GET' | 'POST'
  /** Extra request headers (API keys, `accept`). Defaults to none. */
  readonly headers?: Readonly<Record<string, string>>
  /** Request body; a plain object is sent as JSON with `content-type: application/json`. */
  readonly body?: string | Uint8Array | Readonly<Record<string, unknown>>
  /** The caller's signal (the plugin context's); aborting it rejects with {@link AbortedError}. */
  readonly signal?: AbortSignal
  /** Deadline for the whole call, retries included. Defaults to `15000` ms. */
  readonly timeoutMs?: number
  /** Retry policy. Defaults to {@link RetryPolicy}'s defaults; `{ attempts: 1 }` disables retries. */
  readonly retry?: RetryPolicy
  /**
   * How long a retryable answer (408/425/429/5xx) asks the client to wait, in ms, read from its headers — for services
   * that say it in their own header (e.g. Brave's `X-RateLimit-Reset`). Return `undefined` to fall back to
   * `Retry-After`, then to backoff. The wait is capped by the policy's `maxRetryAfterMs` like `Retry-After`.
   * Defaults to `Retry-After` only.
   */
  readonly retryAfter?: (response: ServiceFailureResponse) => number | undefined
  /** Largest accepted response body in bytes; a bigger one is cut off and rejected. Defaults to 5 MiB. */
  readonly maxBytes?: number
}

/** A successful (2xx) response, fully read. */
export interface ServiceResponse {
  /** HTTP status, always 2xx (other statuses reject with a typed error). */
  readonly status: number
  /** Lower-case header names. */
  readonly headers: ResponseHeaders
  /** The whole response body, at most `maxBytes`. */
  readonly body: Buffer
}

const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504])
const DEFAULT_MAX_BYTES = 5 * 1024 * 1024

/** A short, single-line excerpt of an error body for messages. */
function excerpt(body: Buffer): string {
  const text = body.toString('utf8', 0, Math.min(body.length, 400)).replace(/\s+/g, ' ').trim()
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

function encodeBody(body: ServiceRequest['body'], headers: Record<string, string>): string | Uint8Array | undefined {
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) return body
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json'
  }
  return JSON.stringify(body)
}

function describeCause(error: unknown): string {
  const code = (error as { code?: unknown } | null | undefined)?.code
  const message = describeError(error)
  return typeof code === 'string' ? `${message} (${code})` : message
}

/**
 * Sends a request and returns the 2xx response, fully read. Retries 408/425/429/5xx answers and dropped
 * connections within the policy and the deadline; throws {@link ServiceError} (status 0 when no answer came) on
 * anything else, or {@link AbortedError} when `signal` fired.
 */
export async function requestService(req: ServiceRequest): Promise<ServiceResponse> {
  const timeoutMs = req.timeoutMs ?? 15_000
  const deadline = AbortSignal.timeout(timeoutMs)
  const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline
  const maxBytes = req.maxBytes ?? DEFAULT_MAX_BYTES
  const headers: Record<string, string> = { ...req.headers }
  const body = encodeBody(req.body, headers)
  /** The failures worth another attempt, with the wait their answer asked for. */
  const retryable = new WeakMap<object, RetryableFailure>()
  const aborted = (cause: unknown): MossError =>
    req.signal?.aborted
      ? new AbortedError(`${req.service} request aborted`, { cause: req.signal.reason })
      : new ServiceError(`${req.service} did not answer within ${timeoutMs} ms`, 0, { cause })

  const attempt = async (): Promise<ServiceResponse> => {
    try {
      const res = await request(req.url, { method: req.method ?? 'GET', headers, body, signal })
      const declared = Number(headerValue(res.headers, 'content-length'))
      const read = Number.isFinite(declared) && declared > maxBytes ? undefined : await readBounded(res.body, maxBytes)
      if (read === undefined || read.truncated) {
        // undici's destroy() emits 'error' (request aborted) on the body; unheard, it would crash the process.
        res.body.on('error', () => undefined)
        res.body.destroy()
        throw new ServiceError(`${req.service} sent a response larger than ${maxBytes} bytes`, res.statusCode)
      }
      if (res.statusCode >= 200 && res.statusCode < 300) return { status: res.statusCode, headers: res.headers, body: read.bytes }
      const detail = excerpt(read.bytes)
      const error = new ServiceError(`${req.service} answered HTTP ${res.statusCode}${detail ? `: ${detail}` : ''}`, res.statusCode)
      if (RETRY_STATUSES.has(res.statusCode)) {
        const waitMs = req.retryAfter?.({ status: res.statusCode, headers: res.headers }) ?? parseRetryAfter(headerValue(res.headers, 'retry-after'))
        retryable.set(error, waitMs === undefined ? {} : { waitMs })
      }
      throw error
    } catch (error) {
      if (signal.aborted) throw aborted(error)
      // Our own verdicts (an HTTP status, oversize) go out as they are; anything else is a dropped connection.
      if (MossError.isInstance(error)) throw error
      const dropped = new ServiceError(`${req.service} could not be reached: ${describeCause(error)}`, 0, { cause: error })
      retryable.set(dropped, {})
      throw dropped
    }
  }

  try {
    return await withRetries(attempt, {
      policy: resolveRetryPolicy(req.retry),
      signal,
      // Give up early rather than sleep past the deadline.
      deadlineAt: Date.now() + timeoutMs,
      classify: (error) => (typeof error === 'object' && error !== null ? retryable.get(error) : undefined),
    })
  } catch (error) {
    // Only the sleep between attempts rejects with something untyped: the signal's reason.
    throw MossError.isInstance(error) ? error : aborted(error)
  }
}

/** {@link requestService}, then parses the body as JSON (whatever the content type claims). */
export async function requestServiceJson(req: ServiceRequest): Promise<unknown> {
  const res = await requestService(req)
  try {
    return JSON.parse(res.body.toString('utf8')) as unknown
  } catch (error) {
    throw new ServiceError(`${req.service} sent a response that is not valid JSON: ${excerpt(res.body)}`, res.status, {
      cause: error,
    })
  }
}
