import { InferenceClient } from '@huggingface/inference'
import type { InferenceProviderOrPolicy } from '@huggingface/inference'
import { AbortedError, MossError, ServiceError, describeError, retryDelayMs } from '../../../src/plugin-kit.js'
import type { ImageBackend, ImageHttpOptions } from '../types.js'

/** Hugging Face Inference (providers, Inference Endpoints, or a local server speaking its API). */
export interface HuggingFaceImageOptions extends ImageHttpOptions {
  /** Access token (hf_…). Defaults to none (fine for a local endpoint). */
  readonly token?: string
  /** Model id on the Hub. Defaults to `black-forest-labs/FLUX.1-schnell` when no `endpointUrl` is set. */
  readonly model?: string
  /** A dedicated endpoint URL; the request is posted to it directly, without asking the Hub for a provider. */
  readonly endpointUrl?: string
  /** Inference provider (ignored with `endpointUrl`). Defaults to the library's `auto`. */
  readonly provider?: string
  /** Extra generation parameters (`width`, `height`, `num_inference_steps`, `guidance_scale`, …). Defaults to none. */
  readonly parameters?: Readonly<Record<string, unknown>>
  /** fetch used for every request (e.g. a proxy, or a host filter in tests). Defaults to the global fetch. */
  readonly fetch?: typeof fetch
}

/** Model used when only a token is configured. */
export const DEFAULT_HF_IMAGE_MODEL = 'black-forest-labs/FLUX.1-schnell'

const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504])

/** Waits for a cold model, on top of the retry attempts; each is bounded by the timeout too. */
const MAX_LOADING_WAITS = 3
/** Shortest wait for a loading model, so a tiny `estimated_time` does not become a busy loop. */
const MIN_LOADING_WAIT_MS = 250

/**
 * Seconds until a cold model is loaded: a 503 from Hugging Face's serverless API carries
 * `{error: "Model … is currently loading", estimated_time: <seconds>}`.
 */
function estimatedLoadSeconds(error: unknown): number | undefined {
  const response = (error as { httpResponse?: { status?: unknown; body?: unknown } }).httpResponse
  if (response?.status !== 503 || typeof response.body !== 'object' || response.body === null) return undefined
  const estimate = (response.body as { estimated_time?: unknown }).estimated_time
  return typeof estimate === 'number' && Number.isFinite(estimate) && estimate >= 0 ? estimate : undefined
}

/** Wraps fetch so a response body stops (and the call fails) once it passes `maxBytes`. */
function limitedFetch(base: typeof fetch, maxBytes: number, onExceeded: () => void): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init)
    const declared = Number(response.headers.get('content-length'))
    if ((Number.isFinite(declared) && declared > maxBytes) || !response.body) {
      if (declared > maxBytes) {
        onExceeded()
        await response.body?.cancel()
        throw new ServiceError(`Hugging Face returned more than ${maxBytes} bytes`)
      }
      return response
    }
    let size = 0
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength
          if (size > maxBytes) {
            onExceeded()
            controller.error(new ServiceError(`Hugging Face returned more than ${maxBytes} bytes`))
          } else {
            controller.enqueue(chunk)
          }
        },
      }),
    )
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
  }
}

/** Hugging Face backend through `@huggingface/inference` (`textToImage`, blob output, no built-in retry). */
export function huggingFaceImageBackend(options: HuggingFaceImageOptions = {}): ImageBackend {
  const timeoutMs = options.timeoutMs ?? 120_000
  const attempts = Math.max(1, options.retry?.attempts ?? 2)
  const retry = { maxRetryAfterMs: 10_000, ...options.retry }
  return {
    name: 'huggingface',
    async generate(prompt, { signal: callerSignal, maxBytes }) {
      const deadlineAt = Date.now() + timeoutMs
      const deadline = AbortSignal.timeout(timeoutMs)
      const signal = AbortSignal.any([callerSignal, deadline])
      let exceeded = false
      const client = new InferenceClient(options.token ?? '', {
        ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
        // The library's own retry repeats a 503 at once and forever: we retry ourselves, bounded.
        retry_on_error: false,
        fetch: limitedFetch(options.fetch ?? fetch, maxBytes, () => (exceeded = true)),
      })
      const args = {
        inputs: prompt,
        ...(options.endpointUrl ? {} : { model: options.model ?? DEFAULT_HF_IMAGE_MODEL }),
        ...(options.endpointUrl && options.model ? { model: options.model } : {}),
        ...(options.provider && !options.endpointUrl ? { provider: options.provider as InferenceProviderOrPolicy } : {}),
        ...(options.parameters ? { parameters: options.parameters } : {}),
      }
      let lastError: ServiceError | undefined
      let loadingWaits = 0
      for (let attempt = 1; attempt <= attempts; attempt++) {
        let loadingWaitMs: number | undefined
        try {
          const blob = await client.textToImage(args, { signal, outputType: 'blob' })
          if (blob.size > maxBytes) throw new ServiceError(`Hugging Face returned more than ${maxBytes} bytes`)
          return new Uint8Array(await blob.arrayBuffer())
        } catch (error) {
          if (callerSignal.aborted) throw new AbortedError('Hugging Face request aborted', { cause: error })
          if (deadline.aborted) throw new ServiceError(`Hugging Face did not answer within ${timeoutMs} ms`, 0, { cause: error })
          if (exceeded) throw new ServiceError(`Hugging Face returned more than ${maxBytes} bytes`, 0, { cause: error })
          if (MossError.isInstance(error)) throw error
          const status = (error as { httpResponse?: { status?: unknown } }).httpResponse?.status
          const message = describeError(error)
          if (typeof status === 'number') {
            lastError = new ServiceError(`Hugging Face answered HTTP ${status}: ${message}`, status, { cause: error })
            if (!RETRY_STATUSES.has(status)) throw lastError
            const loading = estimatedLoadSeconds(error)
            if (loading !== undefined && loadingWaits < MAX_LOADING_WAITS) {
              loadingWaitMs = Math.max(MIN_LOADING_WAIT_MS, Math.ceil(loading * 1000))
              const left = deadlineAt - Date.now()
              if (loadingWaitMs >= left) {
                throw new ServiceError(
                  `Hugging Face is still loading the model (ready in about ${Math.ceil(loading)} s, more than the ` +
                    `${Math.max(0, Math.floor(left / 1000))} s left of the ${timeoutMs} ms timeout): try again later or raise the timeout`,
                  503,
                  { cause: error },
                )
              }
              loadingWaits++
            }
          } else if (error instanceof TypeError) {
            // fetch reports refused or reset connections as TypeError: transient, worth a retry.
            lastError = new ServiceError(`Hugging Face could not be reached: ${message}`, 0, { cause: error })
          } else {
            throw new ServiceError(`Hugging Face failed: ${message}`, 0, { cause: error })
          }
        }
        // Waiting for a cold model is not a failed attempt: the retry after it gets the attempt back.
        if (loadingWaitMs !== undefined) attempt--
        else if (attempt === attempts) break
        // The library hides response headers, so Retry-After is unknown here: the load estimate, else plain backoff.
        const wait = loadingWaitMs ?? retryDelayMs(attempt, undefined, retry) ?? 0
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait)
          signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true })
        })
        if (callerSignal.aborted) throw new AbortedError('Hugging Face request aborted')
        if (deadline.aborted) throw new ServiceError(`Hugging Face did not answer within ${timeoutMs} ms`)
      }
      throw lastError ?? new ServiceError('Hugging Face failed')
    },
  }
}
