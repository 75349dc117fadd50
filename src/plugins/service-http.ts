/**
 * HTTP calls from plugins to external services (search engines, image servers): one deadline over all attempts,
 * bounded retries with exponential backoff and jitter on 429/5xx and dropped connections, `Retry-After` honoured
 * but capped, and a response-size limit enforced while the body streams in. Every failure is a typed
 * {@link ServiceError} (or {@link AbortedError} when the caller aborted), never a bare error.
 */
import { request } from 'undici'
import { AbortedError, MossError, ServiceError } from '../errors.js'

/** How failed attempts are retried. */
export interface RetryPolicy {
  /** Total attempts, the first included. Defaults to `3`. */
  readonly attempts?: number
  /** Delay before the first retry; doubles on each retry (plus random jitter). Defaults to `300` ms. */
  readonly baseDelayMs?: number
  /** Upper bound of a backoff delay. Defaults to `4000` ms. */
  readonly maxDelayMs?: number
  /** Upper bound applied to a server's `Retry-After`; a longer wish ends the retries. Defaults to `10000` ms. */
  readonly maxRetryAfterMs?: number
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
  /** Largest accepted response body in bytes; a bigger one is cut off and rejected. Defaults to 5 MiB. */
  readonly maxBytes?: number
}

/** A successful (2xx) response, fully read. */
export interface ServiceResponse {
  /** HTTP status, always 2xx (other statuses reject with a typed error). */
  readonly status: number
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  /** The whole response body, at most `maxBytes`. */
  readonly body: Buffer
}

const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504])
const DEFAULT_MAX_BYTES = 5 * 1024 * 1024

/**
 * Delay before retry number `retry` (1 for the first retry): the server's `Retry-After` (seconds or HTTP date) when
 * present and within `maxRetryAfterMs`, else exponential backoff with full jitter. Returns `undefined` when the
 * server asks for a longer wait than the cap allows (the caller then stops retrying).
 */
export function retryDelayMs(
  retry: number,
  retryAfter: string | undefined,
  policy: RetryPolicy = {},
  random: () => number = Math.random,
  now: number = Date.now(),
): number | undefined {
  const maxRetryAfter = policy.maxRetryAfterMs ?? 10_000
  if (retryAfter !== undefined && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter.trim())
    const wait = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - now
    if (Number.isFinite(wait)) {
      if (wait > maxRetryAfter) return undefined
      return Math.max(0, Math.round(wait))
    }
  }
  const base = policy.baseDelayMs ?? 300
  const cap = policy.maxDelayMs ?? 4000
  const ceiling = Math.min(cap, base * 2 ** (retry - 1))
  // Half fixed, half random: spreads retries of many clients without ever retrying instantly.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/** Reads a body stream up to `maxBytes`, destroying it and throwing past the limit. */
async function readLimited(
  body: AsyncIterable<Uint8Array> & { destroy(error?: Error): unknown },
  maxBytes: number,
  service: string,
): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.byteLength
    if (size > maxBytes) {
      body.destroy()
      throw new ServiceError(`${service} sent a response larger than ${maxBytes} bytes`)
    }
    chunks.push(Buffer.from(chunk))
  }
  return Buffer.concat(chunks)
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

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

/**
 * Sends a request and returns the 2xx response, fully read. Retries 408/425/429/5xx answers and dropped
 * connections within the policy and the deadline; throws {@link ServiceError} (status 0 when no answer came) on
 * anything else, or {@link AbortedError} when `signal` fired.
 */
export async function requestService(req: ServiceRequest): Promise<ServiceResponse> {
  const timeoutMs = req.timeoutMs ?? 15_000
  const deadline = AbortSignal.timeout(timeoutMs)
  const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline
  const attempts = Math.max(1, req.retry?.attempts ?? 3)
  const maxBytes = req.maxBytes ?? DEFAULT_MAX_BYTES
  const headers: Record<string, string> = { ...req.headers }
  const body = encodeBody(req.body, headers)
  const started = Date.now()
  let lastError: ServiceError | undefined

  for (let attempt = 1; attempt <= attempts; attempt++) {
    let retryAfter: string | undefined
    try {
      const res = await request(req.url, { method: req.method ?? 'GET', headers, body, signal })
      const declared = Number(headerValue(res.headers['content-length']))
      if (Number.isFinite(declared) && declared > maxBytes) {
        res.body.destroy()
        throw new ServiceError(`${req.service} sent a response larger than ${maxBytes} bytes`, res.statusCode)
      }
      const bytes = await readLimited(res.body, maxBytes, req.service)
      if (res.statusCode >= 200 && res.statusCode < 300) {
        return { status: res.statusCode, headers: res.headers, body: bytes }
      }
      const detail = excerpt(bytes)
      const error = new ServiceError(
        `${req.service} answered HTTP ${res.statusCode}${detail ? `: ${detail}` : ''}`,
        res.statusCode,
      )
      if (!RETRY_STATUSES.has(res.statusCode)) throw error
      lastError = error
      retryAfter = headerValue(res.headers['retry-after'])
    } catch (error) {
      if (req.signal?.aborted) throw new AbortedError(`${req.service} request aborted`, { cause: req.signal.reason })
      if (deadline.aborted) {
        throw new ServiceError(`${req.service} did not answer within ${timeoutMs} ms`, 0, { cause: error })
      }
      // Our own non-retryable verdicts (4xx, oversize) go straight out.
      if (MossError.isInstance(error) && error !== lastError) throw error
      if (!MossError.isInstance(error)) {
        lastError = new ServiceError(`${req.service} could not be reached: ${describeCause(error)}`, 0, { cause: error })
      }
    }
    if (attempt === attempts) break
    const wait = retryDelayMs(attempt, retryAfter, req.retry)
    // Give up early rather than sleep past the deadline or longer than the server's capped wish.
    if (wait === undefined || Date.now() - started + wait >= timeoutMs) break
    try {
      await sleep(wait, signal)
    } catch (error) {
      if (req.signal?.aborted) throw new AbortedError(`${req.service} request aborted`, { cause: error })
      throw new ServiceError(`${req.service} did not answer within ${timeoutMs} ms`, 0, { cause: error })
    }
  }
  throw lastError ?? new ServiceError(`${req.service} failed`)
}

function describeCause(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return typeof code === 'string' ? `${error.message} (${code})` : error.message
  }
  return String(error)
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
