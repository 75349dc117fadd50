import type { RetryPolicy } from '../../src/plugin-kit.js'

/** One search result, already cleaned to plain text. */
export interface SearchHit {
  /** Page or document title (may be empty). */
  readonly title: string
  /** Where the hit came from: a web URL, or a `file://` URL for local documents. Used for de-duplication. */
  readonly url: string
  /** Plain-text passage the model sees. */
  readonly snippet: string
  /** Name of the backend that produced the hit. */
  readonly source: string
}

/** Per-call options a backend receives. */
export interface SearchCallOptions {
  /** Fires when the turn is aborted or the deadline passes. */
  readonly signal: AbortSignal
  /** Most hits wanted. */
  readonly limit: number
}

/** A search service or index. Implement this to plug in your own. */
export interface SearchBackend {
  /** Short name used in logs and errors, e.g. `brave`. */
  readonly name: string
  /** Runs one query. Throws a ServiceError (or ConfigError) on failure; resolves to `[]` when nothing matched. */
  search(query: string, options: SearchCallOptions): Promise<SearchHit[]>
  /** Releases resources (file watchers, caches). */
  dispose?(): Promise<void> | void
}

/** HTTP settings shared by the web backends. */
export interface HttpBackendOptions {
  /** Deadline per query, retries included. Defaults to `10000` ms. */
  readonly timeoutMs?: number
  /** Retry policy on 429/5xx. Defaults to 3 attempts, 300 ms doubling backoff, `Retry-After` capped at 5 s. */
  readonly retry?: RetryPolicy
}
