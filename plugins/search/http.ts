import { requestServiceJson } from '../../src/plugin-kit.js'
import type { RetryPolicy, ServiceRequest } from '../../src/plugin-kit.js'
import type { HttpBackendOptions } from './types.js'

/** Sent to every service; Wikimedia asks API clients to identify themselves. */
export const DEFAULT_USER_AGENT = 'moss-agent/0.1 (search plugin; https://www.npmjs.com/package/moss-agent)'

const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 300, maxDelayMs: 4000, maxRetryAfterMs: 5000 }

/** Search answers are small; anything near this is a misbehaving server. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024

/** GET/POST a JSON search API with the backend's timeout and retry settings. */
export function fetchSearchJson(
  service: string,
  url: URL,
  options: HttpBackendOptions,
  signal: AbortSignal,
  init: {
    method?: 'GET' | 'POST'
    headers?: Record<string, string>
    body?: Record<string, unknown>
    /** Reads the wait a 429/5xx asks for from the service's own headers. Defaults to `Retry-After` only. */
    retryAfter?: ServiceRequest['retryAfter']
  } = {},
): Promise<unknown> {
  return requestServiceJson({
    service,
    url,
    method: init.method ?? 'GET',
    headers: { accept: 'application/json', 'user-agent': DEFAULT_USER_AGENT, ...init.headers },
    ...(init.body ? { body: init.body } : {}),
    ...(init.retryAfter ? { retryAfter: init.retryAfter } : {}),
    signal,
    timeoutMs: options.timeoutMs ?? 10_000,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    maxBytes: MAX_RESPONSE_BYTES,
  })
}

/** Joins a base URL (which may carry a path prefix) and an API path. */
export function joinUrl(baseUrl: string, path: string): URL {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`
  return new URL(path.replace(/^\//, ''), base)
}
