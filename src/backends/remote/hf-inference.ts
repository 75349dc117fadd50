/**
 * Backend on `@huggingface/inference`: Hugging Face Inference Endpoints and any text-generation-inference (TGI)
 * server. The client posts OpenAI-style completions (`{endpointUrl}/v1/completions`, `stream: true`). Its own
 * 503 retry loop is unbounded, so it is turned off (`retry_on_error: false`) and the session's bounded retry applies.
 *
 * Every request goes through a wrapping `fetch` that turns HTTP errors into typed errors (with `Retry-After`), and
 * validates the event stream (the client's parser skips malformed lines silently and never notices a truncated
 * stream).
 */
import { InferenceClient } from '@huggingface/inference'
import { Agent, fetch as undiciFetch } from 'undici'
import { ConfigError, MossError } from '../../errors.js'
import type { ModelBackend } from '../types.js'
import type { CompletionChunk } from './completion-chunk.js'
import { decodeCompletionEvent, parseEventJson } from './completion-chunk.js'
import { CompletionStreamDecoder, DONE_SENTINEL } from './completion-stream.js'
import { DEFAULT_CONNECTIONS, createRemoteBackend, validateRemoteOptions } from './remote-backend.js'
import { networkError, RemoteHttpError, statusError } from './remote-errors.js'
import type { RemoteBackendOptions } from './remote-options.js'
import { parseRetryAfter } from '../../util/http-retry.js'
import type { CompletionRequest, CompletionTransport } from './transport.js'

/** Options of {@link createHfInferenceBackend}. Give `endpointUrl`, `model`, or both. */
export interface HfInferenceBackendOptions extends RemoteBackendOptions {
  /**
   * A dedicated endpoint or TGI server, e.g. `https://xyz.endpoints.huggingface.cloud` or `http://127.0.0.1:8080`.
   * Defaults to none: then `model` is routed through the Hugging Face hub (which needs network access to it).
   */
  endpointUrl?: string
  /** Hub model id (`fnlp/moss-moon-003-sft-plugin`); with `endpointUrl` it is only sent as the body's `model`. */
  model?: string
  /** Hugging Face or provider token. Defaults to none (anonymous). */
  token?: string
  /**
   * `fetch` used for every request (e.g. one that only allows certain hosts). Defaults to undici's fetch through an
   * `Agent` limited to `connections` connections per origin.
   */
  fetch?: typeof fetch
}

/** Largest error body read, for the message. */
const ERROR_BODY_LIMIT = 64 * 1024

async function readErrorBody(response: Response): Promise<string> {
  try {
    return (await response.text()).slice(0, ERROR_BODY_LIMIT)
  } catch {
    return ''
  }
}

/** Passes the bytes through unchanged while checking them with the project's strict decoder. */
function validatingStream(server: string): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new CompletionStreamDecoder(server)
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(bytes, controller) {
      decoder.push(bytes)
      controller.enqueue(bytes)
    },
    flush() {
      decoder.end()
      if (!decoder.complete) {
        throw new RemoteHttpError('disconnected', 0, `${server} ended the stream without finishing the generation`)
      }
    },
  })
}

class HfInferenceTransport implements CompletionTransport {
  readonly server: string
  readonly #client: InferenceClient
  readonly #fetch: typeof fetch
  readonly #agent: Agent | undefined
  readonly #model: string | undefined

  constructor(options: HfInferenceBackendOptions) {
    if (options.endpointUrl === undefined && options.model === undefined) {
      throw new ConfigError('createHfInferenceBackend needs endpointUrl or model')
    }
    if (options.endpointUrl !== undefined) {
      let url: URL
      try {
        url = new URL(options.endpointUrl)
      } catch (cause) {
        throw new ConfigError(`endpointUrl is not a URL: ${options.endpointUrl}`, { cause })
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new ConfigError(`endpointUrl must be http or https (got ${url.protocol})`)
      }
    }
    this.server = `Hugging Face endpoint ${options.endpointUrl ?? options.model ?? ''}`
    this.#model = options.model
    if (options.fetch === undefined) {
      const agent = new Agent({ connections: options.connections ?? DEFAULT_CONNECTIONS })
      this.#agent = agent
      this.#fetch = ((input: unknown, init?: object) =>
        undiciFetch(input as never, { ...init, dispatcher: agent } as never)) as unknown as typeof fetch
    } else {
      this.#fetch = options.fetch
    }
    this.#client = new InferenceClient(options.token ?? '', {
      ...(options.endpointUrl === undefined ? {} : { endpointUrl: options.endpointUrl }),
      retry_on_error: false,
      fetch: this.#fetch,
    })
  }

  async *stream(request: CompletionRequest, signal: AbortSignal): AsyncGenerator<CompletionChunk, void, void> {
    const server = this.server
    const local = new AbortController()
    const onAbort = (): void => local.abort(signal.reason)
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    let phase: 'connect' | 'stream' = 'connect'
    let completed = false
    const fetchTyped = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      let response: Response
      try {
        response = await this.#fetch(input, init)
      } catch (error) {
        if (local.signal.aborted || MossError.isInstance(error)) throw error
        throw networkError(error, 'connect', server)
      }
      phase = 'stream'
      if (!response.ok) {
        const text = await readErrorBody(response)
        throw statusError(response.status, text, parseRetryAfter(response.headers.get('retry-after')), server)
      }
      const type = response.headers.get('content-type') ?? ''
      if (type.startsWith('application/json')) {
        // The server ignored `stream: true`: check the JSON, then hand it to the client as a one-event stream.
        const text = await response.text()
        decodeCompletionEvent(parseEventJson(text, server), server)
        const events = `data: ${text.replace(/\r?\n/g, ' ')}\n\ndata: ${DONE_SENTINEL}\n\n`
        return new Response(events, { status: 200, headers: { 'content-type': 'text/event-stream' } })
      }
      if (response.body === null) throw new RemoteHttpError('malformed-stream', 0, `${server} sent an empty body`)
      return new Response(response.body.pipeThrough(validatingStream(server)), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      })
    }
    const parameters = {
      max_new_tokens: request.maxTokens,
      ...(request.stop.length > 0 ? { stop: [...request.stop] } : {}),
      ...request.sampling,
    }
    try {
      const stream = this.#client.textGenerationStream(
        { inputs: request.prompt, parameters, ...(this.#model === undefined ? {} : { model: this.#model }) },
        { signal: local.signal, fetch: fetchTyped as typeof fetch, retry_on_error: false },
      )
      for await (const output of stream) yield decodeCompletionEvent(output, server)
      completed = true
    } catch (error) {
      if (MossError.isInstance(error) || local.signal.aborted) throw error
      if (error instanceof SyntaxError) {
        throw new RemoteHttpError('invalid-json', 0, `${server} sent an event that is not JSON`, { cause: error })
      }
      throw networkError(error, phase, server)
    } finally {
      signal.removeEventListener('abort', onAbort)
      // The client releases its reader without cancelling the body: abort so the connection is not left streaming.
      if (!completed) local.abort(new RemoteHttpError('disconnected', 0, 'stream closed by the client'))
    }
  }

  async close(): Promise<void> {
    await this.#agent?.close()
  }
}

/**
 * A backend on `@huggingface/inference` (Inference Endpoints, TGI). Sessions replay their transcript on each
 * generation; stop markers are applied client-side as well; 429/503 are retried (bounded) before the first token.
 *
 * @throws ConfigError without `endpointUrl` and `model`, or for an invalid URL or option.
 */
export function createHfInferenceBackend(options: HfInferenceBackendOptions): ModelBackend {
  validateRemoteOptions(options)
  const transport = new HfInferenceTransport(options)
  return createRemoteBackend(transport, options, 'extended')
}
