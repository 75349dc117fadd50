import { ConfigError, ServiceError, requestServiceJson } from '../../../src/plugin-kit.js'
import type { ImageBackend, ImageHttpOptions } from '../types.js'
import { base64ResponseLimit, decodeBase64Image } from './base64-image.js'
import { fetchImageUrl } from './image-url.js'

/**
 * Which request an images API gets. `gpt-image`: OpenAI's GPT image models (`gpt-image-1`, `gpt-image-1-mini`,
 * `gpt-image-1.5`, …), which always answer base64 and reject `response_format`. `compatible`: OpenAI-compatible
 * servers (LocalAI, stable-diffusion.cpp) that take `response_format: b64_json` and may still answer with a `url`.
 */
export type OpenAiImagesApi = 'gpt-image' | 'compatible'

/** An OpenAI-style images API (`/v1/images/generations`): OpenAI itself, LocalAI, stable-diffusion.cpp server. */
export interface OpenAiImagesOptions extends ImageHttpOptions {
  /** Base URL, with or without the trailing `/v1`, e.g. `https://api.openai.com` or `http://127.0.0.1:8080`. Required. */
  readonly baseUrl: string
  /** Sent as a Bearer token when set. Defaults to none. */
  readonly apiKey?: string
  /**
   * Model name. Defaults to `gpt-image-1` for the `gpt-image` API (OpenAI wants it named) and to the server's default
   * for `compatible` servers. DALL·E 2 and 3 were shut down by OpenAI on 2026-05-12.
   */
  readonly model?: string
  /**
   * Request shape. Defaults to `gpt-image` when the model starts with `gpt-image` or `chatgpt-image`, or when no model
   * is set and the URL is OpenAI's (`api.openai.com`); else `compatible`.
   */
  readonly api?: OpenAiImagesApi
  /**
   * `WIDTHxHEIGHT`. GPT image models: `1024x1024` (default), `1536x1024`, `1024x1536` or `auto` (the `gpt-image-1`
   * family takes only these). Compatible servers: any size they support; defaults to `512x512`.
   */
  readonly size?: string
  /** GPT image models only: `low`, `medium`, `high` or `auto`. Defaults to OpenAI's default (`auto`). */
  readonly quality?: 'low' | 'medium' | 'high' | 'auto'
  /** GPT image models only: `png`, `jpeg` or `webp`. Defaults to OpenAI's default (`png`). */
  readonly outputFormat?: 'png' | 'jpeg' | 'webp'
  /** GPT image models only: `transparent` (needs png or webp), `opaque` or `auto`. Defaults to OpenAI's default (`auto`). */
  readonly background?: 'transparent' | 'opaque' | 'auto'
}

const GPT_IMAGE_MODEL = /^(gpt-image|chatgpt-image)/
/** The sizes OpenAI documents for the GPT image models; newer ones may take more. */
const GPT_IMAGE_SIZES = ['1024x1024', '1536x1024', '1024x1536', 'auto']
const QUALITIES = ['low', 'medium', 'high', 'auto']
const OUTPUT_FORMATS = ['png', 'jpeg', 'webp']
const BACKGROUNDS = ['transparent', 'opaque', 'auto']

function isOpenAiHost(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === 'api.openai.com'
  } catch {
    return false
  }
}

/** The API family a configuration speaks (see {@link OpenAiImagesOptions.api}). */
export function openAiImagesApi(options: Pick<OpenAiImagesOptions, 'api' | 'model' | 'baseUrl'>): OpenAiImagesApi {
  if (options.api) return options.api
  if (options.model) return GPT_IMAGE_MODEL.test(options.model) ? 'gpt-image' : 'compatible'
  return isOpenAiHost(options.baseUrl) ? 'gpt-image' : 'compatible'
}

function oneOf(name: string, value: string | undefined, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value)) {
    throw new ConfigError(`The openai image backend's ${name} "${value}" is not one of ${allowed.join(', ')}`)
  }
}

/** The request body for this configuration; throws {@link ConfigError} for what the API documents as invalid. */
function requestBody(options: OpenAiImagesOptions, api: OpenAiImagesApi): (prompt: string) => Record<string, unknown> {
  const model = options.model
  if (model && /^dall-e/i.test(model) && (api === 'gpt-image' || isOpenAiHost(options.baseUrl))) {
    throw new ConfigError(`OpenAI shut down ${model} on 2026-05-12: use a GPT image model such as gpt-image-1 or gpt-image-1-mini`)
  }
  if (api === 'compatible') {
    const gptOnly = { quality: options.quality, outputFormat: options.outputFormat, background: options.background }
    const set = Object.entries(gptOnly).find(([, value]) => value !== undefined)
    if (set) throw new ConfigError(`The openai image backend's ${set[0]} is only for GPT image models (api: "gpt-image")`)
    if (options.size !== undefined && !/^\d+x\d+$/.test(options.size)) {
      throw new ConfigError(`The openai image backend's size "${options.size}" is not WIDTHxHEIGHT`)
    }
    const size = options.size ?? '512x512'
    return (prompt) => ({ prompt, n: 1, size, response_format: 'b64_json', ...(model ? { model } : {}) })
  }
  const gptModel = model ?? 'gpt-image-1'
  const size = options.size ?? '1024x1024'
  if (/^gpt-image-1/.test(gptModel)) oneOf('size', size, GPT_IMAGE_SIZES)
  else if (!/^(\d+x\d+|auto)$/.test(size)) throw new ConfigError(`The openai image backend's size "${size}" is not WIDTHxHEIGHT or auto`)
  oneOf('quality', options.quality, QUALITIES)
  oneOf('outputFormat', options.outputFormat, OUTPUT_FORMATS)
  oneOf('background', options.background, BACKGROUNDS)
  if (options.background === 'transparent' && options.outputFormat === 'jpeg') {
    throw new ConfigError('A transparent background needs outputFormat png or webp (JPEG has no transparency)')
  }
  const extras = {
    ...(options.quality ? { quality: options.quality } : {}),
    ...(options.outputFormat ? { output_format: options.outputFormat } : {}),
    ...(options.background ? { background: options.background } : {}),
  }
  // No `response_format`: OpenAI rejects it for GPT image models, which always answer base64.
  return (prompt) => ({ model: gptModel, prompt, n: 1, size, ...extras })
}

const SERVICE = 'Images API'

/**
 * OpenAI-style backend: `POST /v1/images/generations` → `data[0].b64_json`, or `data[0].url` downloaded with the same
 * size cap (and, like every image, checked to be PNG, JPEG, WebP or GIF before it is written).
 */
export function openAiImagesBackend(options: OpenAiImagesOptions): ImageBackend {
  if (!options.baseUrl) throw new ConfigError('The openai image backend needs a baseUrl')
  const api = openAiImagesApi(options)
  const body = requestBody(options, api)
  const trimmed = options.baseUrl.replace(/\/+$/, '')
  const url = `${/\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`}/images/generations`
  const timeoutMs = options.timeoutMs ?? 120_000
  return {
    name: 'openai',
    async generate(prompt, { signal, maxBytes }) {
      const started = Date.now()
      const data = await requestServiceJson({
        service: SERVICE,
        url,
        method: 'POST',
        headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
        body: body(prompt),
        signal,
        timeoutMs,
        retry: { attempts: 2, maxRetryAfterMs: 10_000, ...options.retry },
        maxBytes: base64ResponseLimit(maxBytes),
      })
      const list = (data as { data?: unknown }).data
      const entry = (Array.isArray(list) ? list[0] : undefined) as { b64_json?: unknown; url?: unknown } | undefined
      if (typeof entry?.b64_json === 'string' && entry.b64_json !== '') return decodeBase64Image(entry.b64_json, SERVICE, maxBytes)
      if (typeof entry?.url === 'string' && entry.url !== '') {
        return fetchImageUrl(entry.url, { service: SERVICE, signal, timeoutMs: timeoutMs - (Date.now() - started), maxBytes })
      }
      throw new ServiceError(`${SERVICE} returned no image data (neither b64_json nor url)`)
    },
  }
}
