/** Shared helpers of the remote-backend integration tests. */
import { ConfigError } from '../../../src/errors.js'
import { createHfInferenceBackend, createOpenAICompatibleBackend } from '../../../src/backends/remote/index.js'
import type { RemoteBackendOptions } from '../../../src/backends/remote/index.js'
import type { GenerateOutcome, GenerateRequest, ModelBackend, ModelSession } from '../../../src/backends/types.js'

/** Collects a generation: the yielded pieces and the outcome. */
export async function collect(
  session: ModelSession,
  request: GenerateRequest,
): Promise<{ text: string; pieces: string[]; outcome: GenerateOutcome }> {
  const generator = session.generate(request)
  const pieces: string[] = []
  for (;;) {
    const step = await generator.next()
    if (step.done === true) return { text: pieces.join(''), pieces, outcome: step.value }
    pieces.push(step.value)
  }
}

/** Runs a generation expected to fail; returns the error and the pieces streamed before it. */
export async function failure(session: ModelSession, request: GenerateRequest): Promise<{ error: unknown; pieces: string[] }> {
  const pieces: string[] = []
  try {
    for await (const piece of session.generate(request)) pieces.push(piece)
  } catch (error) {
    return { error, pieces }
  }
  throw new ConfigError('the generation was expected to fail')
}

/** A fetch that refuses every host but 127.0.0.1, so no test can reach the Hugging Face hub. */
export const localOnlyFetch: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input))
  if (url.hostname !== '127.0.0.1') return Promise.reject(new ConfigError(`test fetch refused ${url.hostname}`))
  return fetch(input, init)
}

/** Builds either backend on the stand-in. */
export type BackendFactory = (url: string, options?: RemoteBackendOptions & { apiKey?: string }) => ModelBackend

/** Both clients, for tests that must hold for each. */
export const BACKENDS: ReadonlyArray<readonly [string, BackendFactory]> = [
  ['openai-compatible (undici)', (url, options) => createOpenAICompatibleBackend({ baseUrl: url, model: 'fake', ...options })],
  [
    'hf-inference',
    (url, options) =>
      createHfInferenceBackend({
        endpointUrl: url,
        fetch: localOnlyFetch,
        ...options,
        ...(options?.apiKey === undefined ? {} : { token: options.apiKey }),
      }),
  ],
]

/** Fast retries for tests. */
export const FAST_RETRY = { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 20 } as const
