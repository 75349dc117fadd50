/**
 * Backend for servers speaking the OpenAI completions API (`POST /v1/completions` with `stream: true`): vLLM,
 * text-generation-inference, llama.cpp's `llama-server`, Ollama, LocalAI. HTTP goes through an undici `Pool` whose
 * connection bound is shared by every session of the backend.
 */
import type { Dispatcher } from 'undici'
import { Pool } from 'undici'
import { ConfigError, MossError } from '../../errors.js'
import type { ModelBackend } from '../types.js'
import type { CompletionChunk } from './completion-chunk.js'
import { decodeCompletionEvent, parseEventJson } from './completion-chunk.js'
import { CompletionStreamDecoder } from './completion-stream.js'
import { headerValue, readBounded } from '../../util/http-body.js'
import { parseRetryAfter } from '../../util/http-retry.js'
import { DEFAULT_CONNECTIONS, createRemoteBackend, validateRemoteOptions } from './remote-backend.js'
import { networkError, RemoteHttpError, statusError } from './remote-errors.js'
import type { RemoteBackendOptions } from './remote-options.js'
import type { SamplingDialect } from './sampling.js'
import type { CompletionRequest, CompletionTransport } from './transport.js'

/** Options of {@link createOpenAICompatibleBackend}. */
export interface OpenAICompatibleBackendOptions extends RemoteBackendOptions {
  /**
   * The server's address, e.g. `http://127.0.0.1:8000` or `http://127.0.0.1:8000/v1`; `/v1/completions` is
   * appended as needed. Required.
   */
  baseUrl: string
  /** Model name sent in the body. vLLM and Ollama need it; llama.cpp server and TGI ignore it. Defaults to omitted. */
  model?: string
  /** Sent as `Authorization: Bearer …`. Defaults to none. */
  apiKey?: string
  /** Extra request headers. Defaults to none. */
  headers?: Readonly<Record<string, string>>
  /** Which sampling fields the server accepts, see {@link SamplingDialect}. Defaults to `'extended'`. */
  dialect?: SamplingDialect
  /** Extra body fields (e.g. `{ min_p: 0.05 }` or `{ cache_prompt: true }`); the backend's own fields win. Defaults to none. */
  extraBody?: Readonly<Record<string, unknown>>
  /**
   * A caller-owned undici dispatcher (e.g. a `ProxyAgent`). `connections` is then ignored and the dispatcher is not
   * closed by `dispose()`. Defaults to a `Pool` of `connections` connections owned by the backend.
   */
  dispatcher?: Dispatcher
}

/** Largest error body read, for the message. */
const ERROR_BODY_LIMIT = 64 * 1024
/**
 * After a client-side stop, the rest of the stream is read and discarded up to this many bytes (or this long), so
 * the connection goes back to the pool when the server stops soon after; beyond that the connection is closed,
 * which also tells the server to stop generating.
 */
const DRAIN_LIMIT_BYTES = 16 * 1024
const DRAIN_TIMEOUT_MS = 2000

/** Splits `baseUrl` into the pool's origin and the completions path. */
export function completionsEndpoint(baseUrl: string): { origin: string; path: string } {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch (cause) {
    throw new ConfigError(`baseUrl is not a URL: ${baseUrl}`, { cause })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`baseUrl must be http or https (got ${url.protocol})`)
  }
  const base = url.pathname.replace(/\/+$/, '')
  const path = base.endsWith('/completions') ? base : base.endsWith('/v1') ? `${base}/completions` : `${base}/v1/completions`
  return { origin: url.origin, path }
}

class OpenAICompatibleTransport implements CompletionTransport {
  readonly server: string
  readonly #dispatcher: Dispatcher
  readonly #owned: boolean
  readonly #path: string
  readonly #headers: Record<string, string>
  readonly #options: OpenAICompatibleBackendOptions
  #closed = false

  constructor(options: OpenAICompatibleBackendOptions) {
    const { origin, path } = completionsEndpoint(options.baseUrl)
    this.server = `OpenAI-compatible server ${origin}${path}`
    this.#path = path
    this.#options = options
    this.#owned = options.dispatcher === undefined
    this.#dispatcher = options.dispatcher ?? new Pool(origin, { connections: options.connections ?? DEFAULT_CONNECTIONS })
    this.#headers = {
      ...options.headers,
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` }),
    }
  }

  async *stream(request: CompletionRequest, signal: AbortSignal): AsyncGenerator<CompletionChunk, void, void> {
    const options = this.#options
    const body = JSON.stringify({
      ...options.extraBody,
      ...(options.model === undefined ? {} : { model: options.model }),
      prompt: request.prompt,
      max_tokens: request.maxTokens,
      stream: true,
      ...(request.stop.length > 0 ? { stop: request.stop } : {}),
      ...request.sampling,
    })
    let response: Dispatcher.ResponseData
    try {
      const origin = this.#owned ? {} : { origin: new URL(options.baseUrl).origin }
      response = await this.#dispatcher.request({ ...origin, method: 'POST', path: this.#path, headers: this.#headers, body, signal })
    } catch (error) {
      if (signal.aborted) throw error
      throw networkError(error, 'connect', this.server)
    }
    const responseBody = response.body
    // Destroying the body emits an error; the iterator reports real errors itself, so this one must not go unhandled.
    responseBody.on('error', () => undefined)
    let drained = false
    let failed = false
    try {
      if (response.statusCode < 200 || response.statusCode >= 300) {
        const text = (await readBounded(responseBody, ERROR_BODY_LIMIT)).bytes.toString('utf8')
        throw statusError(response.statusCode, text, parseRetryAfter(headerValue(response.headers, 'retry-after')), this.server)
      }
      if ((headerValue(response.headers, 'content-type') ?? '').includes('application/json')) {
        // The server ignored `stream: true` and sent the whole completion at once.
        const text = await responseBody.text()
        drained = true
        yield decodeCompletionEvent(parseEventJson(text, this.server), this.server)
        return
      }
      const decoder = new CompletionStreamDecoder(this.server)
      // Read to the end even after `[DONE]`, so the connection returns to the pool instead of being destroyed.
      // `destroyOnReturn: false`: an early return must not kill the connection before the drain below decides.
      for await (const bytes of responseBody.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>) {
        for (const chunk of decoder.push(bytes)) yield chunk
      }
      for (const chunk of decoder.end()) yield chunk
      drained = true
      if (!decoder.complete) {
        throw new RemoteHttpError('disconnected', 0, `${this.server} ended the stream without finishing the generation`)
      }
    } catch (error) {
      failed = true
      if (MossError.isInstance(error) || signal.aborted) throw error
      throw networkError(error, 'stream', this.server)
    } finally {
      if (!drained) {
        // Aborted or broken: close the socket now. Stopped early by the client: drain briefly in the background.
        if (failed || signal.aborted) responseBody.destroy()
        else void responseBody.dump({ limit: DRAIN_LIMIT_BYTES, signal: AbortSignal.timeout(DRAIN_TIMEOUT_MS) }).catch(() => undefined)
      }
    }
  }

  async close(): Promise<void> {
    if (!this.#owned || this.#closed) return
    this.#closed = true
    await this.#dispatcher.close()
  }
}

/**
 * A backend on an OpenAI-compatible completions server. Sessions replay their transcript as `prompt` on each
 * generation; stop markers are applied client-side as well; 429/503 are retried before the first token.
 *
 * @throws ConfigError for an invalid `baseUrl` or option.
 */
export function createOpenAICompatibleBackend(options: OpenAICompatibleBackendOptions): ModelBackend {
  validateRemoteOptions(options)
  const transport = new OpenAICompatibleTransport(options)
  return createRemoteBackend(transport, options, options.dialect ?? 'extended')
}
