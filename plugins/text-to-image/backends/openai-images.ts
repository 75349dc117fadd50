import { ConfigError, requestServiceJson } from '../../../src/plugin-kit.js'
import type { ImageBackend, ImageHttpOptions } from '../types.js'
import { base64ResponseLimit, decodeBase64Image } from './base64-image.js'

/** An OpenAI-style images API (`/v1/images/generations`): stable-diffusion.cpp server, LocalAI, OpenAI. */
export interface OpenAiImagesOptions extends ImageHttpOptions {
  /** Base URL, with or without the trailing `/v1`, e.g. `http://127.0.0.1:8080`. Required. */
  readonly baseUrl: string
  /** Sent as a Bearer token when set. Defaults to none. */
  readonly apiKey?: string
  /** Model name for servers that host several. Defaults to the server's default. */
  readonly model?: string
  /** `WIDTHxHEIGHT`. Defaults to `512x512`. */
  readonly size?: string
}

/** OpenAI-style backend: `POST /v1/images/generations` with `response_format: b64_json` → `data[0].b64_json`. */
export function openAiImagesBackend(options: OpenAiImagesOptions): ImageBackend {
  if (!options.baseUrl) throw new ConfigError('The openai image backend needs a baseUrl')
  const trimmed = options.baseUrl.replace(/\/+$/, '')
  const url = `${/\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`}/images/generations`
  return {
    name: 'openai',
    async generate(prompt, { signal, maxBytes }) {
      const data = await requestServiceJson({
        service: 'Images API',
        url,
        method: 'POST',
        headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
        body: {
          prompt,
          n: 1,
          size: options.size ?? '512x512',
          response_format: 'b64_json',
          ...(options.model ? { model: options.model } : {}),
        },
        signal,
        timeoutMs: options.timeoutMs ?? 120_000,
        retry: { attempts: 2, maxRetryAfterMs: 10_000, ...options.retry },
        maxBytes: base64ResponseLimit(maxBytes),
      })
      const first = (data as { data?: unknown }).data
      const entry = Array.isArray(first) ? (first[0] as { b64_json?: unknown } | undefined) : undefined
      return decodeBase64Image(entry?.b64_json, 'Images API', maxBytes)
    },
  }
}
