/** Maps {@link SamplingOptions} to the completions API's field names. */
import type { SamplingOptions } from '../types.js'
import type { WireSampling } from './transport.js'

/** MOSS demo defaults, as the seam documents. */
const DEFAULTS = { temperature: 0.7, topP: 0.8, topK: 40, repeatPenalty: 1.02 } as const

/**
 * Which optional fields the server accepts. `extended` (vLLM, llama.cpp server, TGI) takes `top_k` and
 * `repetition_penalty`; `openai` (strict OpenAI-style APIs, Ollama) gets only temperature, top_p and seed.
 */
export type SamplingDialect = 'extended' | 'openai'

/** Merges request over backend over defaults and renames for the wire. */
export function toWireSampling(
  backend: SamplingOptions | undefined,
  request: SamplingOptions | undefined,
  dialect: SamplingDialect,
): WireSampling {
  const merged: SamplingOptions = { ...DEFAULTS, ...defined(backend), ...defined(request) }
  const seed = merged.seed
  return {
    temperature: merged.temperature ?? DEFAULTS.temperature,
    top_p: merged.topP ?? DEFAULTS.topP,
    ...(dialect === 'extended'
      ? { top_k: merged.topK ?? DEFAULTS.topK, repetition_penalty: merged.repeatPenalty ?? DEFAULTS.repeatPenalty }
      : {}),
    ...(seed === undefined ? {} : { seed }),
  }
}

/** Drops keys set to `undefined`, so they do not hide a default. */
function defined(options: SamplingOptions | undefined): SamplingOptions {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, value]) => value !== undefined))
}
