/**
 * The node-llama-cpp objects behind a {@link LlamaCppBackend}, for benchmarks, tests and advanced use. Kept apart
 * from the backend's public declarations (see public-types.ts): importing this module brings node-llama-cpp's types.
 */
import type { Llama, LlamaContext, LlamaModel } from 'node-llama-cpp'
import { ConfigError } from '../../errors.js'
import type { LlamaCppBackend } from './public-types.js'

/** What node-llama-cpp loaded for one backend. */
export interface LlamaCppHandles {
  readonly llama: Llama
  readonly model: LlamaModel
  /** The shared context (one sequence per session). */
  readonly context: LlamaContext
}

const byBackend = new WeakMap<object, LlamaCppHandles>()

/** Called by the backend when it is created. */
export function registerLlamaCppHandles(backend: LlamaCppBackend, handles: LlamaCppHandles): void {
  byBackend.set(backend, handles)
}

/** The node-llama-cpp model, context and instance of a backend made by `createLlamaCppBackend`. */
export function llamaCppHandles(backend: LlamaCppBackend): LlamaCppHandles {
  const handles = byBackend.get(backend)
  if (handles === undefined) throw new ConfigError('Not a backend made by createLlamaCppBackend')
  return handles
}
